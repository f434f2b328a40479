package io.openons.e2e;

import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.http.CallBack;
import com.aliyuncs.http.HttpClientConfig;
import com.aliyuncs.http.HttpRequest;
import com.aliyuncs.http.HttpResponse;
import com.aliyuncs.http.IHttpClient;
import com.aliyuncs.http.clients.ApacheHttpClient;
import java.io.IOException;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;

/**
 * An HTTP transport for the official ONS SDK (plugged in through its documented custom-client setting) that
 * sends every request with the SDK's own Apache client, remembers the last one, and lets a test alter a
 * request on the wire (replay it, or present a stale clock). The SDK's signing and answer parsing are
 * untouched.
 */
public class WireTap extends IHttpClient {

    private static volatile UnaryOperator<HttpRequest> rewrite = UnaryOperator.identity();
    private static volatile HttpRequest last;

    private IHttpClient delegate;

    public WireTap(HttpClientConfig config) throws ClientException {
        super(config);
    }

    @Override
    protected void init(HttpClientConfig config) throws ClientException {
        // The SDK keeps one Apache client per JVM and configures it once through its protected init, as its
        // own client factory does.
        ApacheHttpClient apache = ApacheHttpClient.getInstance();
        try {
            java.lang.reflect.Method init = ApacheHttpClient.class.getDeclaredMethod("init", HttpClientConfig.class);
            init.setAccessible(true);
            init.invoke(apache, config);
            java.lang.reflect.Field field = IHttpClient.class.getDeclaredField("clientConfig");
            field.setAccessible(true);
            if (field.get(apache) == null) {
                field.set(apache, config);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot configure the SDK's Apache HTTP client", e);
        }
        this.delegate = apache;
    }

    /** Alters the next requests until {@link #reset()}. */
    public static void rewriteWith(UnaryOperator<HttpRequest> operator) {
        rewrite = operator;
    }

    public static void reset() {
        rewrite = UnaryOperator.identity();
    }

    /** The last request the SDK sent (after any rewrite). */
    public static HttpRequest last() {
        return last;
    }

    /** Sends a request again exactly as it went on the wire. */
    public static HttpResponse resend(HttpRequest request) throws IOException, ClientException {
        return ApacheHttpClient.getInstance().syncInvoke(request);
    }

    @Override
    public HttpResponse syncInvoke(HttpRequest request) throws IOException, ClientException {
        HttpRequest sent = rewrite.apply(request);
        last = sent;
        return delegate.syncInvoke(sent);
    }

    @Override
    public Future<HttpResponse> asyncInvoke(HttpRequest request, CallBack callback) throws IOException {
        HttpRequest sent = rewrite.apply(request);
        last = sent;
        return delegate.asyncInvoke(sent, callback);
    }

    @Override
    public void ignoreSSLCertificate() {
        delegate.ignoreSSLCertificate();
    }

    @Override
    public void restoreSSLCertificate() {
        delegate.restoreSSLCertificate();
    }

    @Override
    public boolean isSingleton() {
        return false;
    }

    @Override
    public void close() throws IOException {
        // The shared Apache client is closed by the SDK.
    }
}
