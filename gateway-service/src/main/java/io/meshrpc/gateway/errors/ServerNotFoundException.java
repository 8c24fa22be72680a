package io.meshrpc.gateway.errors;

/** No server has the id: 404. */
public class ServerNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ServerNotFoundException(String id) {
        super("No server with id '" + id + "'");
    }
}
