namespace Pipeline.SingleHost;

/// <summary>
/// Who may connect to the environment's cluster, and how (pg_hba.conf, written by the pipeline, first match wins).
/// App and migration containers have no route to the host's loopback (Podman.NetworkCreate): they reach the
/// database only through the socket directory mounted into them, as the app role with its password. initdb's
/// default `local all all peer` would refuse them (uid 1654 is no OS user named like the role), and `trust`
/// would let anything that can open the socket in as anyone.
/// </summary>
public static class PostgresAccess
{
    public static string HbaConf(string appRole) => $"""
        # Written by the pipeline (PostgresCluster.Reconcile); a hand edit is overwritten on the next Up.
        # TYPE  DATABASE  USER      ADDRESS        METHOD
        # The pipeline's own admin commands: runuser -u postgres psql over the socket.
        local   all       postgres                 peer
        # App and migration containers over the mounted socket directory: the role's SCRAM password.
        local   all       {appRole}                scram-sha-256
        # Host-side tools (psql, drills) over TCP on 127.0.0.1 only; containers cannot reach it.
        host    all       {appRole}    127.0.0.1/32   scram-sha-256

        """;
}
