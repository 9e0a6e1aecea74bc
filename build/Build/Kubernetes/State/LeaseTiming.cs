namespace Pipeline.Kubernetes.State;

/// <summary>
/// How long a lease outlives its holder's last renewal, and how often the holder renews. A holder killed mid-verb
/// (a cancelled job, a lost runner) blocks the environment until its lease looks expired, and the next taker then
/// watches it unchanged for one more <see cref="Duration"/> on its own clock (ReleaseLease); three renewals fit
/// in one duration, so one slow or failed kubectl call does not lose the lock.
/// </summary>
public sealed record LeaseTiming(TimeSpan Duration, TimeSpan RenewEvery)
{
    public static readonly LeaseTiming Default = new(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(20));

    /// <summary>Bound on one renewal's kubectl call: it must end well before the lease would expire.</summary>
    public TimeSpan CallTimeout => RenewEvery;

    /// <summary>
    /// How often a taker re-reads a lease that looks expired while it waits one full <see cref="Duration"/> for it to
    /// stay unchanged (a quarter of the renewal period, at most 5 s): a renewal is seen within seconds.
    /// </summary>
    public TimeSpan ObserveEvery => RenewEvery / 4 < TimeSpan.FromSeconds(5) ? RenewEvery / 4 : TimeSpan.FromSeconds(5);
}
