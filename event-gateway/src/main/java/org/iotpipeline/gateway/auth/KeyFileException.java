package org.iotpipeline.gateway.auth;

/** The key file cannot be read or is not valid; the message names the file and, if known, the line. */
public final class KeyFileException extends Exception {

    private static final long serialVersionUID = 1L;

    public KeyFileException(String message) {
        super(message);
    }

    public KeyFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
