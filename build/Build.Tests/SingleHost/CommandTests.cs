using Pipeline.Tools;

namespace Pipeline.Tests.SingleHost;

public sealed class CommandTests
{
    [Fact]
    public void App_container_argv_is_hardened_without_host_loopback_and_carries_the_secret_as_a_file_and_the_db_socket_as_a_mount()
    {
        var spec = new AppContainerSpec("orders-local-s3", "localhost:5000/orders-api@sha256:" + new string('a', 64), 18003,
            new Dictionary<string, string> { ["io.orders-release.slot"] = "3", ["io.orders-release.env"] = "local" },
            new Dictionary<string, string> { ["ORDERS_DB_PASSWORD_FILE"] = "/run/secrets/orders-local-db-password", ["ORDERS_DRAIN_DELAY_SECONDS"] = "3" },
            "orders-local-db-password", 1, 256, 25, "orders-local", PostgresSocketDir: "/state/local/postgres/socket", CpuShares: Podman.StartupCpuShares);
        Assert.Equal(
            "podman --runtime=runc --cgroup-manager=cgroupfs run --detach --name orders-local-s3 --pull=never --read-only --cap-drop=ALL " +
            "--security-opt no-new-privileges --user 1654:1654 --ulimit nofile=4096:4096 --ulimit nproc=512:512 --memory 256m --cpus 1 --cpu-shares 64 " +
            "--network orders-local --publish 127.0.0.1:18003:8080 --tmpfs /tmp:rw,nosuid,nodev,size=16m " +
            "--tmpfs /run/secrets:rw,nosuid,nodev,noexec,size=64k --secret orders-local-db-password,uid=1654,gid=1654,mode=0400 --stop-timeout 25 " +
            "--volume /state/local/postgres/socket:/run/postgresql:ro " +
            "--label io.orders-release.env=local --label io.orders-release.slot=3 " +
            "--env ORDERS_DB_PASSWORD_FILE=/run/secrets/orders-local-db-password --env ORDERS_DRAIN_DELAY_SECONDS=3 " +
            "localhost:5000/orders-api@sha256:" + new string('a', 64),
            Podman.RunApp(spec).ToString());
    }

    [Fact]
    public void The_environment_network_is_an_isolated_bridge_without_dns_labelled_with_its_environment()
    {
        Assert.Equal("podman --runtime=runc --cgroup-manager=cgroupfs network create --driver bridge --disable-dns --opt isolate=true --label io.orders-release.env=local orders-local",
            Podman.NetworkCreate("orders-local", "io.orders-release.env", "local").ToString());
        Assert.Equal("podman --runtime=runc --cgroup-manager=cgroupfs network exists orders-local", Podman.NetworkExists("orders-local").ToString());
        Assert.Equal("podman --runtime=runc --cgroup-manager=cgroupfs network rm --force orders-local", Podman.NetworkRemove("orders-local").ToString());
    }

    [Fact]
    public void A_warm_instance_gets_the_full_cpu_weight_back() =>
        Assert.Equal("podman --runtime=runc --cgroup-manager=cgroupfs update --cpu-shares 1024 orders-local-s3",
            Podman.UpdateCpuShares("orders-local-s3", Podman.DefaultCpuShares).ToString());

    [Fact]
    public void Candidate_environment_goes_through_an_env_file_never_into_argv()
    {
        var spec = new AppContainerSpec("c", "img", 18000, new Dictionary<string, string>(), new Dictionary<string, string> { ["ORDERS_DB_PORT"] = "5432" },
            "s", 1, 256, 25, "orders-local", EnvFile: "/state/local/candidate-s3.env");
        var args = Podman.RunApp(spec).Args;
        var i = args.ToList().IndexOf("--env-file");
        Assert.Equal("/state/local/candidate-s3.env", args[i + 1]);
        Assert.Equal(["--env", "ORDERS_DB_PORT=5432", "--env-file", "/state/local/candidate-s3.env", "img"], args.TakeLast(5));
    }

    [Fact]
    public void Migration_runs_once_from_the_release_image_with_the_secret_and_no_network_only_the_db_socket()
    {
        var cmd = Podman.RunOnceWithDatabase("img@sha256:" + new string('b', 64), "sec", new Dictionary<string, string> { ["ORDERS_DB_HOST"] = "/run/postgresql" }, "/state/pg/socket", "migrate");
        Assert.Equal(
            "podman --runtime=runc --cgroup-manager=cgroupfs run --rm --pull=never --read-only --cap-drop=ALL --security-opt no-new-privileges " +
            "--user 1654:1654 --ulimit nofile=4096:4096 --ulimit nproc=512:512 --network none --tmpfs /tmp:rw,nosuid,nodev,size=16m " +
            "--tmpfs /run/secrets:rw,nosuid,nodev,noexec,size=64k --secret sec,uid=1654,gid=1654,mode=0400 " +
            "--volume /state/pg/socket:/run/postgresql:ro --env ORDERS_DB_HOST=/run/postgresql img@sha256:" + new string('b', 64) + " migrate",
            cmd.ToString());
    }

    [Fact]
    public void Schema_contract_runs_once_without_secret_network_or_mounts() =>
        Assert.Equal(
            "podman --runtime=runc --cgroup-manager=cgroupfs run --rm --pull=never --read-only --cap-drop=ALL --security-opt no-new-privileges " +
            "--user 1654:1654 --ulimit nofile=4096:4096 --ulimit nproc=512:512 --network none --tmpfs /tmp:rw,nosuid,nodev,size=16m img schema-contract",
            Podman.RunOnce("img", "", new Dictionary<string, string>(), "none", "schema-contract").ToString());

    [Fact]
    public void Stop_gives_the_grace_period_and_stops_several_at_once() =>
        Assert.Equal("podman --runtime=runc --cgroup-manager=cgroupfs stop --time 25 a b", Podman.Stop(25, "a", "b").ToString());

    [Fact]
    public void Retiring_gives_the_grace_period_then_removes_several_at_once_in_one_command() =>
        Assert.Equal("podman --runtime=runc --cgroup-manager=cgroupfs rm --force --time 25 a b", Podman.StopAndRemove(25, "a", "b").ToString());

    [Fact]
    public void HAProxy_runtime_commands_are_exact()
    {
        Assert.Equal("set server app/s3 addr 127.0.0.1 port 18003", HaproxyRuntime.SetAddress("app", "s3", "127.0.0.1", 18003));
        Assert.Equal("set server app/s3 state drain", HaproxyRuntime.SetState("app", "s3", ServerAdminState.Drain));
        Assert.Equal("set server canary_preview/s1 state maint", HaproxyRuntime.SetState("canary_preview", "s1", ServerAdminState.Maint));
        Assert.Equal("set server app/s0 state ready", HaproxyRuntime.SetState("app", "s0", ServerAdminState.Ready));
        Assert.Equal("set weight app/s2 63", HaproxyRuntime.SetWeight("app", "s2", 63));
        Assert.Equal("show servers state app", HaproxyRuntime.ShowServersState("app"));
    }

    [Fact]
    public void HAProxy_answers_to_set_are_refusals_only_when_they_are_not_addr_reports()
    {
        Assert.False(HaproxyRuntime.IsRefusal("\n"));
        Assert.False(HaproxyRuntime.IsRefusal("no need to change the addr, no need to change the port by 'stats socket command'\n"));
        Assert.False(HaproxyRuntime.IsRefusal("IP changed from '127.0.0.1' to '127.0.0.1', port changed from '1' to '2' by 'stats socket command'\n"));
        Assert.True(HaproxyRuntime.IsRefusal("No such server.\n"));
    }

    [Fact]
    public void HAProxy_stat_csv_is_parsed_by_column_name()
    {
        var rows = HaproxyRuntime.ParseStat("# pxname,svname,qcur,qmax,scur,weight,status,\napp,s0,0,0,2,100,UP,\napp,BACKEND,0,0,2,100,UP,\n");
        Assert.Equal("2", rows[0]["scur"]);
        Assert.Equal("UP", rows[0]["status"]);
        Assert.Equal("BACKEND", rows[1]["svname"]);
    }

    [Fact]
    public void HAProxy_starts_and_reloads_seamlessly()
    {
        Assert.Equal("haproxy -f /s/h.cfg -p /s/h.pid -db", HaproxyCommands.Start("/s/h.cfg", "/s/h.pid").ToString());
        Assert.Equal("haproxy -f /s/h.cfg -p /s/h.pid -db -x /s/a.sock -sf 42", HaproxyCommands.Reload("/s/h.cfg", "/s/h.pid", "/s/a.sock", 42).ToString());
    }

    [Fact]
    public void Prometheus_listens_on_loopback_with_lifecycle_and_state_dir_storage() =>
        Assert.Equal("prometheus --config.file=/s/p.yml --storage.tsdb.path=/s/data --web.listen-address=127.0.0.1:9090 --web.enable-lifecycle --storage.tsdb.retention.time=2d",
            PrometheusCommands.Start("/s/p.yml", "/s/data", 9090).ToString());

    [Fact]
    public void Postgres_runs_as_the_postgres_user_on_loopback_and_takes_secrets_on_stdin_only()
    {
        Assert.Equal("runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D /s/pg/data -l /s/pg/log -w -t 30 -o '-p 5555 -k /s/pg -c listen_addresses=127.0.0.1 -c max_connections=120' start",
            Postgres.Start("/s/pg/data", "/s/pg/log", 5555, "/s/pg", 120).ToString());
        var psql = Postgres.Psql("/s/pg", 5555, "postgres", "ALTER ROLE orders PASSWORD 'hunter2';", "hunter2");
        Assert.DoesNotContain(psql.Args, a => a.Contains("hunter2"));
        Assert.Contains("hunter2", psql.StandardInput);
        Assert.DoesNotContain("hunter2", psql.ToString());
        Assert.Contains("--auth-host=scram-sha-256", Postgres.InitDb("/d").Args);
    }
}
