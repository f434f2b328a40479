package io.openons.e2e;

import com.aliyuncs.AcsRequest;
import com.aliyuncs.AcsResponse;
import com.aliyuncs.CommonRequest;
import com.aliyuncs.CommonResponse;
import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.http.FormatType;
import com.aliyuncs.http.HttpClientConfig;
import com.aliyuncs.http.HttpClientType;
import com.aliyuncs.http.MethodType;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.profile.DefaultProfile;
import java.net.URI;

/**
 * The official ONS OpenAPI SDK ({@code aliyun-java-sdk-ons} with {@code aliyun-java-sdk-core}), configured
 * only with an endpoint and a key, exactly as a user points it at this suite.
 */
public final class OnsApi {

    private final DefaultAcsClient client;
    private final String endpoint;
    private final FormatType format;
    private final String accountId;

    private OnsApi(DefaultAcsClient client, String endpoint, FormatType format, String accountId) {
        this.client = client;
        this.endpoint = endpoint;
        this.format = format;
        this.accountId = accountId;
    }

    /** A client of the suite's bootstrap account. */
    public static OnsApi of(Suite suite) {
        return of(suite, suite.accessKeyId(), suite.accessKeySecret());
    }

    public static OnsApi of(Suite suite, String accessKeyId, String accessKeySecret) {
        DefaultProfile profile = DefaultProfile.getProfile("cn-hangzhou", accessKeyId, accessKeySecret);
        HttpClientConfig http = HttpClientConfig.getDefault();
        http.setProtocolType(ProtocolType.HTTP);
        http.setNoProxy(URI.create(suite.endpoint()).getHost());
        http.setClientType(HttpClientType.Custom);
        http.setCustomClientClassName(WireTap.class.getName());
        http.setReadTimeoutMillis(60_000);
        profile.setHttpClientConfig(http);
        return new OnsApi(new DefaultAcsClient(profile), suite.endpointHostPort(), FormatType.JSON,
                accessKeyId.equals(suite.accessKeyId()) ? suite.accountId() : null);
    }

    /** A client of a new account created for the caller through the admin API (tests stay independent). */
    public static OnsApi newAccount(Suite suite, String name) throws Exception {
        Accounts.Key key = Accounts.create(suite, name);
        return new OnsApi(of(suite, key.accessKeyId(), key.accessKeySecret()).client, suite.endpointHostPort(),
                FormatType.JSON, key.accountId());
    }

    /** The account this client acts for (null for the bootstrap client, whose account the suite knows). */
    public String accountId() {
        return accountId;
    }

    /** The same client asking for XML answers. */
    public OnsApi xml() {
        return new OnsApi(client, endpoint, FormatType.XML, accountId);
    }

    public FormatType format() {
        return format;
    }

    public <T extends AcsResponse> T call(AcsRequest<T> request) throws ClientException {
        request.setSysEndpoint(endpoint);
        request.setSysProtocol(ProtocolType.HTTP);
        request.setSysAcceptFormat(format);
        return client.getAcsResponse(request);
    }

    /** A generic call through the SDK's CommonRequest (for Actions or versions the typed classes cannot send). */
    public CommonResponse common(String action, String version, String... params) throws ClientException {
        CommonRequest request = new CommonRequest();
        request.setSysDomain(endpoint);
        request.setSysProtocol(ProtocolType.HTTP);
        request.setSysMethod(MethodType.POST);
        request.setSysProduct("Ons");
        request.setSysAction(action);
        request.setSysVersion(version);
        request.setSysAccept(format);
        for (int i = 0; i + 1 < params.length; i += 2) {
            request.putQueryParameter(params[i], params[i + 1]);
        }
        return client.getCommonResponse(request);
    }
}
