package org.iotpipeline.tls;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * A server {@link SSLEngine} that refuses to go on handshaking once its handshake has taken longer
 * than a deadline: the next {@code unwrap} throws, and the TLS layer above closes the connection. A
 * client trickling its ClientHello a byte at a time would otherwise hold a connection for as long
 * as it likes (the idle timeout restarts with every byte, and HTTP-level timeouts cannot close a
 * connection whose handshake never finished). Everything else is delegated.
 */
public final class HandshakeDeadlineEngine extends SSLEngine {

    private final SSLEngine delegate;
    private final LongSupplier nanoClock;
    private final long deadlineNanos;
    private final Duration timeout;
    private volatile boolean handshakeDone;

    HandshakeDeadlineEngine(SSLEngine delegate, Duration timeout, LongSupplier nanoClock) {
        super(delegate.getPeerHost(), delegate.getPeerPort());
        this.delegate = Objects.requireNonNull(delegate, "delegate is null");
        this.timeout = Objects.requireNonNull(timeout, "timeout is null");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock is null");
        this.deadlineNanos = nanoClock.getAsLong() + timeout.toNanos();
    }

    /** A server-mode engine of {@code context} whose handshake must finish within {@code timeout} of now. */
    public static SSLEngine server(javax.net.ssl.SSLContext context, Duration timeout) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        return new HandshakeDeadlineEngine(engine, timeout, System::nanoTime);
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
        if (!handshakeDone && nanoClock.getAsLong() - deadlineNanos > 0) {
            throw new SSLException("TLS handshake not completed within " + timeout + "; closing the connection");
        }
        return track(delegate.unwrap(src, dsts, offset, length));
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
        return track(delegate.wrap(srcs, offset, length, dst));
    }

    private SSLEngineResult track(SSLEngineResult result) {
        if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED) {
            handshakeDone = true;
        }
        return result;
    }

    @Override
    public Runnable getDelegatedTask() {
        return delegate.getDelegatedTask();
    }

    @Override
    public void closeInbound() throws SSLException {
        delegate.closeInbound();
    }

    @Override
    public boolean isInboundDone() {
        return delegate.isInboundDone();
    }

    @Override
    public void closeOutbound() {
        delegate.closeOutbound();
    }

    @Override
    public boolean isOutboundDone() {
        return delegate.isOutboundDone();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return delegate.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        delegate.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
        return delegate.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return delegate.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        delegate.setEnabledProtocols(protocols);
    }

    @Override
    public SSLSession getSession() {
        return delegate.getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
        return delegate.getHandshakeSession();
    }

    @Override
    public void beginHandshake() throws SSLException {
        delegate.beginHandshake();
    }

    @Override
    public SSLEngineResult.HandshakeStatus getHandshakeStatus() {
        return delegate.getHandshakeStatus();
    }

    @Override
    public void setUseClientMode(boolean mode) {
        delegate.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
        return delegate.getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        delegate.setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
        return delegate.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        delegate.setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
        return delegate.getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        delegate.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
        return delegate.getEnableSessionCreation();
    }

    @Override
    public SSLParameters getSSLParameters() {
        return delegate.getSSLParameters();
    }

    @Override
    public void setSSLParameters(SSLParameters params) {
        delegate.setSSLParameters(params);
    }

    @Override
    public String getApplicationProtocol() {
        return delegate.getApplicationProtocol();
    }

    @Override
    public String getHandshakeApplicationProtocol() {
        return delegate.getHandshakeApplicationProtocol();
    }

    @Override
    public void setHandshakeApplicationProtocolSelector(BiFunction<SSLEngine, List<String>, String> selector) {
        delegate.setHandshakeApplicationProtocolSelector(selector);
    }

    @Override
    public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
        return delegate.getHandshakeApplicationProtocolSelector();
    }
}
