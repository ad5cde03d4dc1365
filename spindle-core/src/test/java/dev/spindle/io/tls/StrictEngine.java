package dev.spindle.io.tls;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * Test-only: the JDK's engine, except that once {@link #strict} is set it refuses application data while a
 * renegotiation is under way (wrap consumes nothing and says NEED_UNWRAP), as other TLS providers may. The JDK's own
 * engine lets data through then, so this is what drives a writer to read the peer's handshake messages itself.
 */
final class StrictEngine extends SSLEngine {
    private final SSLEngine real;
    boolean strict;
    int refused;
    /** The threads that ran the engine's delegated tasks, in order. */
    final java.util.List<Thread> taskThreads = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    StrictEngine(SSLEngine real) {
        super(real.getPeerHost(), real.getPeerPort());
        this.real = real;
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
        boolean data = false;
        for (int i = offset; i < offset + length; i++) {
            data |= srcs[i].hasRemaining();
        }
        if (strict && data && real.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_UNWRAP) {
            refused++;
            return new SSLEngineResult(SSLEngineResult.Status.OK, SSLEngineResult.HandshakeStatus.NEED_UNWRAP, 0, 0);
        }
        return real.wrap(srcs, offset, length, dst);
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
        return real.unwrap(src, dsts, offset, length);
    }

    @Override
    public Runnable getDelegatedTask() {
        Runnable task = real.getDelegatedTask();
        if (task == null) {
            return null;
        }
        return () -> {
            taskThreads.add(Thread.currentThread());
            task.run();
        };
    }

    @Override
    public void closeInbound() throws SSLException {
        real.closeInbound();
    }

    @Override
    public boolean isInboundDone() {
        return real.isInboundDone();
    }

    @Override
    public void closeOutbound() {
        real.closeOutbound();
    }

    @Override
    public boolean isOutboundDone() {
        return real.isOutboundDone();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return real.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return real.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        real.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
        return real.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return real.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        real.setEnabledProtocols(protocols);
    }

    @Override
    public SSLSession getSession() {
        return real.getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
        return real.getHandshakeSession();
    }

    @Override
    public void beginHandshake() throws SSLException {
        real.beginHandshake();
    }

    @Override
    public SSLEngineResult.HandshakeStatus getHandshakeStatus() {
        return real.getHandshakeStatus();
    }

    @Override
    public void setUseClientMode(boolean mode) {
        real.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
        return real.getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        real.setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
        return real.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        real.setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
        return real.getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        real.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
        return real.getEnableSessionCreation();
    }

    @Override
    public SSLParameters getSSLParameters() {
        return real.getSSLParameters();
    }

    @Override
    public void setSSLParameters(SSLParameters params) {
        real.setSSLParameters(params);
    }

    @Override
    public String getApplicationProtocol() {
        return real.getApplicationProtocol();
    }
}
