using System.Runtime.InteropServices;

namespace LinkTracking.Infrastructure.Clicks;

/// <summary>
/// Sleeps for less than a millisecond. <see cref="Thread.Sleep(TimeSpan)"/> counts whole milliseconds (200 µs would
/// become a bare yield), so on Linux and macOS this asks libc's <c>usleep</c>; elsewhere it rounds up to 1 ms.
/// </summary>
internal static class ShortSleep
{
    public static void For(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return;
        }

        if (duration < TimeSpan.FromMilliseconds(1) && (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()))
        {
            _ = NativeMethods.usleep((uint)Math.Max(1, duration.TotalMicroseconds));
            return;
        }

        Thread.Sleep(duration < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : duration);
    }

    private static class NativeMethods
    {
        // A blittable signature: no marshalling, so the classic DllImport needs no unsafe code in this project.
#pragma warning disable SYSLIB1054
        [DllImport("libc", ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int usleep(uint microseconds);
#pragma warning restore SYSLIB1054
    }
}
