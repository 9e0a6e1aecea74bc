namespace Pipeline.Kubernetes.State;

/// <summary>
/// How long a lease outlives its holder's last renewal, and how often the holder renews. A holder killed mid-verb
/// (a cancelled job, a lost runner) blocks the environment for at most <see cref="Duration"/>; three renewals fit
/// in one duration, so one slow or failed kubectl call does not lose the lock.
/// </summary>
public sealed record LeaseTiming(TimeSpan Duration, TimeSpan RenewEvery)
{
    public static readonly LeaseTiming Default = new(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(20));

    /// <summary>Bound on one renewal's kubectl call: it must end well before the lease would expire.</summary>
    public TimeSpan CallTimeout => RenewEvery;
}
