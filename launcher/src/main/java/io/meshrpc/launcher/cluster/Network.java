package io.meshrpc.launcher.cluster;

/**
 * Where the cluster listens and how other hosts reach it ({@code bin/demo up --bind ... --advertise ...}).
 *
 * @param bindHost      the address the ZeroMQ receivers and the embedded broker listen on:
 *                      {@code 127.0.0.1} (the default: this machine only), an address of this machine,
 *                      or {@code 0.0.0.0} for every interface
 * @param advertiseHost the address or host name the nodes register and give each other: their
 *                      ZeroMQ endpoints, the matchmaker's URL and the embedded broker's host. A node in
 *                      another network namespace or on another host must reach this machine at it
 */
public record Network(String bindHost, String advertiseHost) {

    public static final String LOOPBACK = "127.0.0.1";
    public static final String ANY = "0.0.0.0";

    public Network {
        if (bindHost == null || bindHost.isBlank()) {
            throw new IllegalArgumentException("the bind address is missing");
        }
        if (advertiseHost == null || advertiseHost.isBlank() || ANY.equals(advertiseHost)) {
            throw new IllegalArgumentException("the advertised address must be one other hosts can reach, was '"
                    + advertiseHost + "'");
        }
    }

    /** This machine only: what {@code bin/demo up} does without options. */
    public static Network loopback() {
        return new Network(LOOPBACK, LOOPBACK);
    }

    /**
     * The network of {@code --bind} and {@code --advertise}: the advertised address defaults to the bound
     * one, which must then be a single address, not {@code 0.0.0.0}.
     */
    public static Network of(String bind, String advertise) {
        String bindHost = bind == null ? LOOPBACK : bind;
        if (advertise == null && ANY.equals(bindHost)) {
            throw new IllegalArgumentException("--bind 0.0.0.0 needs --advertise: the address other hosts reach "
                    + "this machine at");
        }
        return new Network(bindHost, advertise == null ? bindHost : advertise);
    }
}
