{{/*
Names, labels and the per-service values the templates share.
The suite's services are listed once, in "openons.components": values key -> module (= image and object name).
*/}}

{{- define "openons.components" -}}
gateway: gateway-service
resource: resource-service
message: message-service
trace: trace-service
stats: stats-service
{{- end }}

{{- define "openons.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-wide prefix: the release name, with the chart name appended unless already contained. */}}
{{- define "openons.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Name of one service's objects (Deployment, Service, ConfigMap, ...). Args: root, module. */}}
{{- define "openons.componentName" -}}
{{- printf "%s-%s" (include "openons.fullname" .root) .module | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "openons.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels every pod of this release carries: what the internal NetworkPolicies admit. */}}
{{- define "openons.suiteSelectorLabels" -}}
app.kubernetes.io/name: {{ include "openons.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Selector labels of one service. Args: root, module. */}}
{{- define "openons.selectorLabels" -}}
{{ include "openons.suiteSelectorLabels" .root }}
app.kubernetes.io/component: {{ .module }}
{{- end }}

{{/* Common labels. Args: root, module (optional). */}}
{{- define "openons.labels" -}}
helm.sh/chart: {{ include "openons.chart" .root }}
{{ include "openons.suiteSelectorLabels" .root }}
{{- with .module }}
app.kubernetes.io/component: {{ . }}
{{- end }}
app.kubernetes.io/part-of: openons
app.kubernetes.io/version: {{ .root.Values.image.tag | default .root.Chart.AppVersion | toString | trunc 63 | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "openons.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "openons.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Image reference of one service. Args: root, svc (the service's values). */}}
{{- define "openons.image" -}}
{{- $registry := .svc.image.registry | default .root.Values.image.registry }}
{{- $ref := .svc.image.repository }}
{{- if $registry }}{{ $ref = printf "%s/%s" (trimSuffix "/" $registry) $ref }}{{ end }}
{{- if .svc.image.digest }}
{{- printf "%s@%s" $ref .svc.image.digest }}
{{- else }}
{{- printf "%s:%s" $ref (.svc.image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion | toString) }}
{{- end }}
{{- end }}

{{/* PostgreSQL settings of one service: the chart-wide ones, overridden by the service's own. Args: root, svc. Returns YAML. */}}
{{- define "openons.postgresql" -}}
{{- $pg := mergeOverwrite (deepCopy .root.Values.postgresql) (deepCopy (.svc.postgresql | default dict)) }}
{{- if not $pg.url }}
{{- fail "postgresql.url is required: the JDBC URL of the external PostgreSQL, e.g. jdbc:postgresql://db.example:5432/openons" }}
{{- end }}
{{- if and (not $pg.existingSecret) (not .root.Values.postgresql.password) }}
{{- fail "PostgreSQL password missing: set postgresql.existingSecret (the name of a Secret holding it, recommended) or postgresql.password" }}
{{- end }}
{{- toYaml $pg }}
{{- end }}

{{/* Name of the chart-managed Secret holding the PostgreSQL password given as a value. */}}
{{- define "openons.postgresqlSecretName" -}}
{{- printf "%s-postgresql" (include "openons.fullname" .) }}
{{- end }}

{{/* Name of the chart-managed Secret holding the generated gateway secrets. */}}
{{- define "openons.gatewaySecretName" -}}
{{- include "openons.componentName" (dict "root" . "module" "gateway-service") }}
{{- end }}

{{- define "openons.keyEncryptionKeySecret" -}}
{{- .Values.gateway.keyEncryptionKey.existingSecret | default (include "openons.gatewaySecretName" .) }}
{{- end }}

{{- define "openons.bootstrapSecret" -}}
{{- .Values.gateway.bootstrap.existingSecret | default (include "openons.gatewaySecretName" .) }}
{{- end }}

{{- define "openons.adminTokenSecret" -}}
{{- .Values.gateway.adminToken.existingSecret | default (include "openons.gatewaySecretName" .) }}
{{- end }}

{{/* True ("true") when the chart has to generate at least one gateway secret. */}}
{{- define "openons.generatesGatewaySecret" -}}
{{- $g := .Values.gateway }}
{{- if or (not $g.keyEncryptionKey.existingSecret) (not $g.bootstrap.existingSecret) (and $g.adminToken.enabled (not $g.adminToken.existingSecret)) }}true{{ end }}
{{- end }}

{{/* In-cluster URL of one service. Args: root, module, port. */}}
{{- define "openons.internalUrl" -}}
{{- printf "http://%s.%s.svc:%v" (include "openons.componentName" (dict "root" .root "module" .module)) .root.Release.Namespace .port }}
{{- end }}

{{/* The gateway URL as clients see it: gateway.publicUrl, else the first Ingress host, else the in-cluster Service. */}}
{{- define "openons.gatewayPublicUrl" -}}
{{- $g := .Values.gateway }}
{{- if $g.publicUrl }}
{{- $g.publicUrl | trimSuffix "/" }}
{{- else if and $g.ingress.enabled $g.ingress.hosts }}
{{- $host := (first $g.ingress.hosts).host }}
{{- $tls := false }}
{{- range $g.ingress.tls }}{{ if has $host .hosts }}{{ $tls = true }}{{ end }}{{ end }}
{{- printf "%s://%s" (ternary "https" "http" $tls) $host }}
{{- else }}
{{- $url := printf "http://%s.%s.svc" (include "openons.componentName" (dict "root" . "module" "gateway-service")) .Release.Namespace }}
{{- if ne (int $g.service.port) 80 }}{{ $url = printf "%s:%v" $url $g.service.port }}{{ end }}
{{- $url }}
{{- end }}
{{- end }}

{{/* Plain environment of one service, as YAML (its ConfigMap's data). A service's env map overrides any key. Args: root, key, module. */}}
{{- define "openons.configData" -}}
{{- $root := .root }}
{{- $key := .key }}
{{- $svc := index $root.Values $key }}
{{- $pg := include "openons.postgresql" (dict "root" $root "svc" $svc) | fromYaml }}
{{- $data := dict
      "HTTP_PORT" ($svc.port | toString)
      "DB_URL" $pg.url
      "DB_POOL_MAX" ($pg.poolMax | toString)
      "KAFKA_BOOTSTRAP_SERVERS" $root.Values.kafka.bootstrapServers
      "QUARKUS_LOG_CONSOLE_JSON_ENABLED" ($root.Values.logging.json | toString)
      "QUARKUS_LOG_LEVEL" $root.Values.logging.level
      "OTEL_SDK_DISABLED" (not (or $root.Values.tracing.enabled $root.Values.tracing.otlpEndpoint) | toString)
      "OTEL_TRACES_SAMPLER_ARG" ($root.Values.tracing.samplerRatio | toString)
      "JAVA_MAX_MEM_RATIO" ($root.Values.jvm.maxRamPercentage | toString) }}
{{- with $root.Values.tracing.otlpEndpoint }}
{{- $_ := set $data "OTEL_EXPORTER_OTLP_ENDPOINT" . }}
{{- end }}
{{- if not (and $pg.existingSecret $pg.usernameKey) }}
{{- $_ := set $data "DB_USER" $pg.username }}
{{- end }}
{{- with $svc.javaOpts }}
{{- /* Replaces the image's JAVA_OPTS_APPEND, which Quarkus sets to the JBoss LogManager flag: keep that flag. */}}
{{- $_ := set $data "JAVA_OPTS_APPEND" (printf "-Djava.util.logging.manager=org.jboss.logmanager.LogManager %s" .) }}
{{- end }}
{{- if eq $key "gateway" }}
{{- range $k, $m := include "openons.components" $root | fromYaml }}
{{- if ne $k "gateway" }}
{{- $_ := set $data (printf "ONS_%s_SERVICE_URL" (upper $k)) (include "openons.internalUrl" (dict "root" $root "module" $m "port" (index $root.Values $k).port)) }}
{{- end }}
{{- end }}
{{- $_ := set $data "ONS_DEFAULT_REGION" $svc.defaultRegion }}
{{- $_ := set $data "ONS_TIMESTAMP_TOLERANCE" $svc.timestampTolerance }}
{{- with $svc.bootstrap.accountId }}
{{- $_ := set $data "ONS_BOOTSTRAP_ACCOUNT_ID" . }}
{{- end }}
{{- end }}
{{- if eq $key "message" }}
{{- /* Consume TPS in OnsConsumerAccumulate/OnsConsumerStatus comes from stats-service's aggregates. */}}
{{- $_ := set $data "ONS_STATS_SERVICE_URL" (include "openons.internalUrl" (dict "root" $root "module" "stats-service" "port" $root.Values.stats.port)) }}
{{- end }}
{{- if eq $key "resource" }}
{{- $_ := set $data "ONS_PUBLIC_HTTP_ENDPOINT" (include "openons.gatewayPublicUrl" $root) }}
{{- $_ := set $data "ONS_PUBLIC_KAFKA_BOOTSTRAP" ($root.Values.kafka.publicBootstrapServers | default $root.Values.kafka.bootstrapServers) }}
{{- $_ := set $data "ONS_MAX_INSTANCES_PER_REGION" ($svc.maxInstancesPerRegion | toString) }}
{{- $_ := set $data "ONS_KAFKA_PARTITIONS" ($svc.kafkaPartitions | toString) }}
{{- $_ := set $data "ONS_KAFKA_REPLICATION_FACTOR" ($svc.kafkaReplicationFactor | toString) }}
{{- $_ := set $data "ONS_MESSAGE_RETENTION_MS" ($svc.messageRetentionMs | int64 | toString) }}
{{- end }}
{{- range $name, $value := $svc.env }}
{{- $_ := set $data $name (toString $value) }}
{{- end }}
{{- toYaml $data }}
{{- end }}
