using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Pipeline.Tools;

namespace Pipeline.SingleHost;

/// <summary>An app container as podman reports it.</summary>
public sealed record AppInstance(string Name, int? Slot, string Image, string ImageId, string Version, bool Running, IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<int>? HostPorts = null);

/// <summary>Starts, stops and lists the environment's app containers; keeps Prometheus' targets in step.</summary>
public sealed class AppInstances(SingleHostSession session)
{
    private SingleHostLayout Layout => session.Layout;

    public IReadOnlyList<AppInstance> List() =>
        session.DryRun ? [] : Parse(session.Runner.Run(Podman.ListByLabel($"{SingleHostLayout.EnvLabel}={Layout.Env}")).StandardOutput);

    /// <summary>Every container on the host (drift looks for look-alikes by name too).</summary>
    public IReadOnlyList<AppInstance> ListAll() => session.DryRun ? [] : Parse(session.Runner.Run(Podman.ListAll()).StandardOutput);

    public static IReadOnlyList<AppInstance> Parse(string json)
    {
        if (string.IsNullOrWhiteSpace(json)) return [];
        using var doc = JsonDocument.Parse(json);
        var list = new List<AppInstance>();
        foreach (var c in doc.RootElement.EnumerateArray())
        {
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if (c.TryGetProperty("Labels", out var l) && l.ValueKind == JsonValueKind.Object)
                foreach (var p in l.EnumerateObject()) labels[p.Name] = p.Value.GetString() ?? "";
            var name = c.GetProperty("Names").EnumerateArray().First().GetString()!;
            int? slot = labels.TryGetValue(SingleHostLayout.SlotLabel, out var s) && int.TryParse(s, out var si) ? si : null;
            list.Add(new AppInstance(name, slot,
                labels.GetValueOrDefault(SingleHostLayout.DigestLabel) ?? c.GetProperty("Image").GetString() ?? "",
                c.TryGetProperty("ImageID", out var id) ? id.GetString() ?? "" : "",
                labels.GetValueOrDefault(SingleHostLayout.VersionLabel, ""),
                c.GetProperty("State").GetString() == "running",
                labels, HostPorts(c)));
        }
        return list;
    }

    // podman 4: "Ports": [{"host_ip": "127.0.0.1", "container_port": 8080, "host_port": 18003, "range": 1, "protocol": "tcp"}]
    private static List<int> HostPorts(JsonElement container)
    {
        var ports = new List<int>();
        if (!container.TryGetProperty("Ports", out var list) || list.ValueKind != JsonValueKind.Array) return ports;
        foreach (var p in list.EnumerateArray())
        {
            if (!p.TryGetProperty("host_port", out var hp) || !hp.TryGetInt32(out var first) || first <= 0) continue;
            var range = p.TryGetProperty("range", out var r) && r.TryGetInt32(out var n) && n > 0 ? n : 1;
            ports.AddRange(Enumerable.Range(first, range));
        }
        return ports;
    }

    public void EnsureImage(string image)
    {
        if (session.PresentImages.ContainsKey(image)) return;
        if (session.Runner.Run(Podman.ImageExists(image), allowFailure: true).ExitCode != 0)
            session.Runner.Run(Podman.Pull(image, tlsVerify: !Image.LocalRegistry.IsLoopback(image)), timeout: TimeSpan.FromMinutes(5));
        // Only a digest names the same content next time; a tag is asked again.
        if (!session.DryRun && Config.ConfigValidator.IsDigestReference(image)) session.PresentImages[image] = true;
    }

    /// <summary>
    /// The image's schema contract: from its labels (written at build time from the binary's own `schema-contract`),
    /// or — for an image built before those labels — from `schema-contract` in a one-off container without a database.
    /// </summary>
    public SchemaContract Contract(string image)
    {
        if (session.DryRun) return new("dry-run", 0, 0);
        if (session.SchemaContracts.TryGetValue(image, out var known)) return known;
        // One-off containers run with --pull=never: an image only pushed (never deployed here) must be pulled first.
        EnsureImage(image);
        var contract = SchemaContractLabels.Read(session.Runner, image);
        // Only a digest pins the content; a tag may name another image tomorrow.
        if (Config.ConfigValidator.IsDigestReference(image)) session.SchemaContracts[image] = contract;
        return contract;
    }

    /// <summary>
    /// Runs the release's own `migrate` as a one-off container: to <paramref name="toVersion"/> (see
    /// <see cref="MigrationTarget"/>), or to the image's own schemaMax when nothing older serves.
    /// </summary>
    public void Migrate(string image, int? toVersion = null)
    {
        // Most releases change no schema: a one-off container that only finds "nothing to apply" cost ~0.85 s of
        // podman start/exit per release (and its CPU stall on a 2-core host under traffic). Migrations only move
        // forward, so a database at or past the target has nothing a `migrate --to` could do.
        if (toVersion is { } to && new PostgresCluster(session).SchemaVersion() is var current && current >= to)
        {
            session.Event("migrate-skipped", image, $"schema already at {current} (target {to})");
            return;
        }
        session.Event("migrate-started", image, toVersion is null ? null : $"to schema {toVersion}");
        if (!session.DryRun) EnsureImage(image);
        string[] command = toVersion is null ? ["migrate"] : ["migrate", "--to", toVersion.Value.ToString(CultureInfo.InvariantCulture)];
        var result = session.Runner.Run(Podman.RunOnceWithDatabase(image, Layout.SecretName, DbEnvironment(), Layout.PostgresSocketDir, command), allowFailure: true, timeout: TimeSpan.FromMinutes(10));
        if (result.ExitCode == 3)
            throw new InvalidOperationException($"The migration of {image} was refused by the schema contract (exit 3): an instance still running needs the old schema. {Tail(result.StandardError)}");
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"The migration of {image} failed (exit {result.ExitCode}). {Tail(result.StandardError)}");
        session.Event("migrated", image, Tail(result.StandardOutput));
    }

    private static string Tail(string s) => string.Join(' ', s.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(2));

    public Dictionary<string, string> DbEnvironment() => new(StringComparer.Ordinal)
    {
        // The socket directory mounted into the container (Podman.PostgresSocketMountPath): the port still names the socket file.
        ["ORDERS_DB_HOST"] = Podman.PostgresSocketMountPath,
        ["ORDERS_DB_PORT"] = Layout.Config.SingleHost.PostgresPort.ToString(CultureInfo.InvariantCulture),
        ["ORDERS_DB_NAME"] = SingleHostLayout.DbName,
        ["ORDERS_DB_USER"] = SingleHostLayout.DbUser,
        ["ORDERS_DB_PASSWORD_FILE"] = "/run/secrets/" + Layout.SecretName,
    };

    public AppContainerSpec Spec(int slot, ReleaseImage image, IReadOnlyDictionary<string, string>? extraEnv = null)
    {
        var c = Layout.Config;
        var env = DbEnvironment();
        env["ORDERS_DRAIN_DELAY_SECONDS"] = c.App.DrainDelaySeconds.ToString(CultureInfo.InvariantCulture);
        env["ORDERS_SHUTDOWN_TIMEOUT_SECONDS"] = c.App.ShutdownTimeoutSeconds.ToString(CultureInfo.InvariantCulture);
        env["ORDERS_WARMUP_DELAY_SECONDS"] = c.App.WarmupDelaySeconds.ToString(CultureInfo.InvariantCulture);
        env["ORDERS_DB_MAX_POOL_SIZE"] = c.App.DbMaxPoolSize.ToString(CultureInfo.InvariantCulture);
        env["ORDERS_INSTANCE_ID"] = $"{Layout.Env}-s{slot}";
        env["ORDERS_FLAGS_FILE"] = Podman.FlagsMountPath;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [SingleHostLayout.EnvLabel] = Layout.Env,
            [SingleHostLayout.SlotLabel] = slot.ToString(CultureInfo.InvariantCulture),
            [SingleHostLayout.DigestLabel] = image.Image,
            [SingleHostLayout.VersionLabel] = image.Version,
        };
        return new AppContainerSpec(Layout.ContainerOf(slot), image.Image, Layout.PortOf(slot), labels, env, Layout.SecretName,
            c.Resources.Cpus, c.Resources.MemoryMb, c.App.GracePeriodSeconds, Layout.NetworkName, Layout.FlagsFile,
            extraEnv is { Count: > 0 } ? Layout.CandidateEnvFile(slot) : null, Layout.PostgresSocketDir, Podman.StartupCpuShares);
    }

    public void Start(int slot, ReleaseImage image, IReadOnlyDictionary<string, string>? extraEnv = null) => StartAll([slot], image, extraEnv);

    /// <summary>
    /// Starts the slots together (one `podman run` each, in parallel: ~1 s of podman's own work each on this host, and
    /// they do not wait on each other), each begun <see cref="StartStagger"/> after the one before. The flags file is
    /// written once, before any of them (a concurrent in-place write could hand one instance half a file). Every start
    /// is awaited; the first failure is rethrown after all have finished, so no `podman run` is left running behind
    /// the caller.
    /// </summary>
    /// <returns>
    /// The environment's instances after the starts: the listing taken before them, with the started slots as now
    /// running. WHY: the caller's scrape-target sync used to list again (`podman ps`, ~0.12 CPU-s) right after each
    /// start — three times per rolling release, in the seconds the drill judges the cutover.
    /// </returns>
    public IReadOnlyList<AppInstance> StartAll(IReadOnlyList<int> slots, ReleaseImage image, IReadOnlyDictionary<string, string>? extraEnv = null)
    {
        WriteFlags();
        // A leftover container of a slot's name (crashed run) would make `podman run` fail: removed first. One listing
        // instead of a `podman rm` per slot — three parallel removals of nothing cost ~0.6 s of a release.
        var before = ListAll();
        var leftovers = before.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        // Launched from here one stagger apart (not each task waiting its own multiple: a task the thread pool starts
        // late would start its container late too, and out of order).
        var starts = new List<Task>(slots.Count);
        foreach (var s in slots)
        {
            if (starts.Count > 0 && !session.DryRun) Thread.Sleep(StartStagger);
            starts.Add(Task.Run(() => RunContainer(s, image, extraEnv, leftovers.Contains(Layout.ContainerOf(s)))));
        }
        try { Task.WaitAll([.. starts]); }
        catch (AggregateException e) { System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw(); }
        var started = slots.Select(Layout.ContainerOf).ToHashSet(StringComparer.Ordinal);
        return [
            .. before.Where(i => i.Labels.GetValueOrDefault(SingleHostLayout.EnvLabel) == Layout.Env && !started.Contains(i.Name)),
            .. slots.Select(slot => new AppInstance(Layout.ContainerOf(slot), slot, image.Image, "", image.Version, Running: true,
                Spec(slot, image).Labels, [Layout.PortOf(slot)])),
        ];
    }

    private void RunContainer(int slot, ReleaseImage image, IReadOnlyDictionary<string, string>? extraEnv, bool leftover)
    {
        if (leftover) session.Runner.Run(Podman.Remove(Layout.ContainerOf(slot)), allowFailure: true);
        var spec = Spec(slot, image, extraEnv);
        try
        {
            if (spec.EnvFile is not null) WriteEnvFile(spec.EnvFile, extraEnv!);
            session.Runner.Run(Podman.RunApp(spec));
        }
        finally
        {
            // podman copies the values into the container's config at create time; the file has done its job.
            if (spec.EnvFile is not null && File.Exists(spec.EnvFile)) File.Delete(spec.EnvFile);
        }
        session.Event("started", SingleHostLayout.ServerOf(slot), image.Version + (extraEnv is { Count: > 0 } ? $", with {string.Join(", ", extraEnv.Keys.Order(StringComparer.Ordinal))} (values in an env file)" : ""));
    }

    /// <summary>KEY=VALUE lines, created 0600 (never a moment world-readable), only outside a dry run.</summary>
    private void WriteEnvFile(string path, IReadOnlyDictionary<string, string> environment)
    {
        if (session.DryRun) return;
        if (environment.FirstOrDefault(p => p.Key.Contains('=') || (p.Key + p.Value).Any(char.IsControl)) is { Key: not null } bad)
            throw new ArgumentException($"--candidate-env: {bad.Key} must be one line without control characters (podman's env file is line-based)");
        Directory.CreateDirectory(Layout.StateDir);
        File.Delete(path); // CreateNew below: an existing file would keep its own, perhaps wider, mode
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
        using var writer = new StreamWriter(path, new System.Text.UTF8Encoding(false), options);
        foreach (var (k, v) in environment.OrderBy(p => p.Key, StringComparer.Ordinal)) writer.Write($"{k}={v}\n");
    }

    /// <summary>
    /// Writes app.flags to the state dir's flags.json when it differs. In place, not by rename: a bind-mounted
    /// file is pinned to its inode, so a renamed replacement would never reach the running instances.
    /// </summary>
    public void WriteFlags()
    {
        if (session.DryRun) return;
        var json = FlagsFile.Render(Layout.Config.App.Flags);
        var path = Layout.FlagsFile;
        if (File.Exists(path) && File.ReadAllText(path) == json) return;
        Directory.CreateDirectory(Layout.StateDir);
        using (var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read))
        {
            stream.SetLength(0);
            stream.Write(System.Text.Encoding.UTF8.GetBytes(json));
        }
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        session.Event("flags-written", path, json.Trim());
    }

    public void AwaitReady(int slot, TimeSpan timeout)
    {
        if (session.DryRun) return;
        var sw = Stopwatch.StartNew();
        try
        {
            Poll.Until(() => ProbeReady(slot), timeout, $"{Layout.ContainerOf(slot)} to answer GET {ReadyUrl(slot)} with 200");
        }
        catch (PollTimeoutException e)
        {
            var logs = session.Runner.Run(Podman.Command("logs", "--tail", "5", Layout.ContainerOf(slot)), allowFailure: true);
            throw new TimeoutException($"{e.Message}. Last log lines:\n{logs.StandardOutput}{logs.StandardError}", e);
        }
        session.Event("ready", SingleHostLayout.ServerOf(slot), $"{sw.ElapsedMilliseconds} ms");
    }

    /// <summary>
    /// Whether the instance in <paramref name="slot"/> turns ready within <paramref name="timeout"/>; null if it
    /// does, else the last thing seen. WHY: podman lists a container as running from its own records, which
    /// survive the processes behind them (a host restored from a snapshot, conmon killed by the OOM killer): a
    /// "running" instance that no process serves must be replaced, not waited on.
    /// </summary>
    public string? NotReadyWithin(int slot, TimeSpan timeout)
    {
        if (session.DryRun) return null;
        try { Poll.Until(() => ProbeReady(slot), timeout, "ready"); return null; }
        catch (PollTimeoutException e) { return e.LastObservation; }
    }

    private string ReadyUrl(int slot) => $"http://127.0.0.1:{Layout.PortOf(slot)}/healthz/ready";

    private (bool Ready, string Observed) ProbeReady(int slot)
    {
        try
        {
            using var r = SingleHostSession.Http.GetAsync(ReadyUrl(slot)).GetAwaiter().GetResult();
            return ((int)r.StatusCode == 200, $"GET /healthz/ready → {(int)r.StatusCode}");
        }
        catch (HttpRequestException e) { return (false, e.Message); }
        catch (TaskCanceledException) { return (false, "no answer in time"); }
    }

    /// <summary>
    /// A few real requests before the instance joins (the app has already warmed its write path and pool before its
    /// readiness turned green: app/Orders.Api/Health/StartupWarmup.cs), then the full CPU weight.
    /// </summary>
    public void Warm(int slot) => WarmAll([slot]);

    /// <summary>
    /// Each smoke path three times per instance, all instances of a batch at once (also warms several pooled DB
    /// connections); then each gets the serving CPU weight. A batch warmed one by one cost its size × ~0.2 s.
    /// </summary>
    public void WarmAll(IReadOnlyList<int> slots)
    {
        if (session.DryRun || slots.Count == 0) return;
        var requests = slots.SelectMany(slot => Enumerable.Repeat(Layout.Config.Gates.Smoke.Paths, 3).SelectMany(p => p).Select(async path =>
        {
            try { using var _ = await SingleHostSession.Http.GetAsync($"http://127.0.0.1:{Layout.PortOf(slot)}{path}"); }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
        }));
        Task.WhenAll(requests).GetAwaiter().GetResult();
        Parallel.ForEach(slots, GiveServingCpuWeight);
        foreach (var slot in slots) session.Event("warmed", SingleHostLayout.ServerOf(slot));
    }

    /// <summary>
    /// Every instance starts at a low CPU weight (<see cref="Podman.StartupCpuShares"/>) so that its start does not
    /// slow the serving instances; before it serves, it gets the same weight as they have.
    /// </summary>
    public void GiveServingCpuWeight(int slot) =>
        session.Runner.Run(Podman.UpdateCpuShares(Layout.ContainerOf(slot), Podman.DefaultCpuShares));

    /// <summary>SIGTERM and wait up to the grace period (the app's drain delay + shutdown fit in it), then remove.</summary>
    public void Stop(params int[] slots)
    {
        if (slots.Length == 0) return;
        // In parallel (each waits out its own drain delay), but each signalled ExitStagger after the one before: three
        // instances exiting in the same instant stalled every request on this 2-core host for up to 0.6 s (12-07 drill,
        // blue-green: p99 599 ms in that second), one exit alone ~45 ms.
        if (session.DryRun)
        {
            foreach (var slot in slots) StopOne(slot);
            return;
        }
        Task.WaitAll(slots.Select((slot, i) => Task.Run(async () =>
        {
            await Task.Delay(ExitStagger * i);
            StopOne(slot);
        })).ToArray());
    }

    private void StopOne(int slot)
    {
        var name = Layout.ContainerOf(slot);
        var stopped = session.Runner.Run(Podman.StopAndRemove(Layout.Config.App.GracePeriodSeconds, name), allowFailure: true, timeout: TimeSpan.FromSeconds(Layout.Config.App.GracePeriodSeconds + 30));
        // Only if that failed (podman's own error): no container of this name may be left to block the slot.
        if (stopped.ExitCode != 0) session.Runner.Run(Podman.Remove(name), allowFailure: true);
        session.Event("stopped", SingleHostLayout.ServerOf(slot));
    }

    /// <summary>Between the `podman run`s of instances started together (see <see cref="StartAll"/>).</summary>
    /// <remarks>Blue-green's three starts in the same instant (container set-up, the app's start, its four new
    /// PostgreSQL backends) made 65 requests slower than 15 ms in one second of the 12-07 drill, against ~7-11 for a
    /// rolling release's single start: overlapping bursts saturate both cores. Half a second apart they do not
    /// overlap, and the release is no slower for it (strategy benchmark: blue-green 6.6 s with both staggers, 6.7 s
    /// without), as overlapping starts slow each other down on 2 cores anyway.</remarks>
    public static readonly TimeSpan StartStagger = TimeSpan.FromMilliseconds(500);

    /// <summary>Between the SIGTERMs of instances retired together (see <see cref="Stop"/>).</summary>
    /// <remarks>One exit's CPU burst (app exit, conmon's `podman container cleanup`, netavark's teardown, ~0.5 CPU-s)
    /// lasted ~250 ms in the 12-07 drills, so half a second keeps them apart at half the promote time a second cost.</remarks>
    public static readonly TimeSpan ExitStagger = TimeSpan.FromMilliseconds(500);

    /// <summary>Rewrites the file_sd targets from what runs (atomic rename: Prometheus never reads half a file).</summary>
    /// <param name="listed">This moment's <see cref="List"/> if the caller already has it.</param>
    public void SyncScrapeTargets(ReleaseState state, IReadOnlyList<AppInstance>? listed = null)
    {
        if (session.DryRun) return;
        var targets = (listed ?? List()).Where(i => i.Running && i.Slot is not null)
            .Select(i => new ScrapeTarget(i.Slot!.Value, Layout.PortOf(i.Slot.Value), i.Version, state.TrackOf(i.Image)));
        Directory.CreateDirectory(Layout.PrometheusDir);
        var tmp = Layout.PrometheusTargets + ".tmp";
        File.WriteAllText(tmp, PrometheusConfig.RenderTargets(Layout, targets));
        File.Move(tmp, Layout.PrometheusTargets, overwrite: true);
    }
}
