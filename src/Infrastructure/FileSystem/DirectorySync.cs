using System.Runtime.InteropServices;

namespace LinkTracking.Infrastructure.FileSystem;

/// <summary>
/// <see cref="IDirectorySync"/> on the real disk. On Linux and macOS it opens the directory read-only
/// (<c>open(O_RDONLY | O_DIRECTORY | O_CLOEXEC)</c>: .NET's <c>File.OpenHandle</c> refuses directories) and
/// <c>fsync</c>s it. On Windows it does nothing: NTFS journals its metadata, and a directory cannot be flushed
/// through a plain handle there.
/// </summary>
public sealed class DirectorySync : IDirectorySync
{
    private const int EINTR = 4;

    public static DirectorySync Instance { get; } = new();

    public void Sync(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var path = Path.GetFullPath(directory);
        var nulTerminated = System.Text.Encoding.UTF8.GetBytes(path + '\0');
        int fd;
        do
        {
            fd = NativeMethods.open(nulTerminated, OpenFlags());
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() == EINTR);

        if (fd < 0)
        {
            throw Failure("open", path);
        }

        try
        {
            int result;
            do
            {
                result = NativeMethods.fsync(fd);
            }
            while (result < 0 && Marshal.GetLastPInvokeError() == EINTR);

            if (result < 0)
            {
                throw Failure("fsync", path);
            }
        }
        finally
        {
            _ = NativeMethods.close(fd);
        }
    }

    /// <summary>
    /// O_RDONLY is 0 everywhere; O_DIRECTORY and O_CLOEXEC differ by platform, so they are added only where their
    /// values are known (the open works without them, only less strictly).
    /// </summary>
    private static int OpenFlags()
    {
        if (OperatingSystem.IsMacOS())
        {
            return 0x100000 | 0x1000000;
        }

        if (OperatingSystem.IsLinux())
        {
            return RuntimeInformation.ProcessArchitecture switch
            {
                Architecture.X64 or Architecture.X86 => 0x10000 | 0x80000,
                Architecture.Arm64 or Architecture.Arm => 0x4000 | 0x80000,
                _ => 0,
            };
        }

        return 0;
    }

    private static IOException Failure(string call, string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"Could not sync the directory {path} ({call}: {Marshal.GetPInvokeErrorMessage(errno)}).", errno);
    }

    private static class NativeMethods
    {
        // The classic DllImport needs no unsafe code in this project (see ShortSleep); the path goes as NUL-terminated
        // UTF-8 bytes, so nothing is left to string marshalling.
#pragma warning disable SYSLIB1054
        [DllImport("libc", SetLastError = true, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int open(byte[] path, int flags);

        [DllImport("libc", SetLastError = true, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int fsync(int fd);

        [DllImport("libc", SetLastError = true, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int close(int fd);
#pragma warning restore SYSLIB1054
    }
}
