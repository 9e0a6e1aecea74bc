namespace Pipeline.Drill.Traffic;

/// <summary>The states of the readiness and liveness lanes (the strings in <see cref="ReadinessTransition"/>).</summary>
public static class InstanceState
{
    public const string Ready = "ready";
    public const string NotReady = "not-ready";
    public const string Live = "live";
    public const string NotLive = "not-live";
    /// <summary>The instance is no longer listed (its container was removed): the end of its lane.</summary>
    public const string Gone = "gone";
    /// <summary>The first observation of an instance has no previous state.</summary>
    public const string Unseen = "unseen";
}
