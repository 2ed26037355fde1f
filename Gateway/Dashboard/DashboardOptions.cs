namespace Levee.Gateway.Dashboard;

/// <summary>Levee's dashboard page and its sign-in (<c>Levee:Dashboard</c>).</summary>
public sealed class DashboardOptions
{
    /// <summary>
    /// How long a sign-in lasts, in minutes (default 60). Short on purpose: the cookie carries the
    /// admin key's power, so a forgotten browser tab loses it soon.
    /// </summary>
    public int SessionMinutes { get; set; } = 60;
}
