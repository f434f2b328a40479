package io.openons.testsupport;

/** How to reach the test PostgreSQL and Kafka. */
public record InfraEndpoints(String jdbcUrl, String dbUser, String dbPassword, String kafkaBootstrapServers) {
}
