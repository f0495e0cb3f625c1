using System.Net;
using System.Net.Sockets;
using Kiosk.Tests.Support;

namespace Kiosk.Tests.Sync;

public class SyncWorkerProcessTests
{
    [Fact]
    public async Task The_worker_process_starts_and_says_when_Central_does_not_answer()
    {
        var port = FreePort(); // nothing listens there
        using var dir = new TempDirectory("kiosk-sync-worker");
        using var worker = new AppProcess("Kiosk.Sync",
            [$"--Storage:DatabasePath={dir.File("kiosk.db")}", $"--Central:BaseUrl=http://127.0.0.1:{port}/", "--Sync:CallTimeout=00:00:02"]);

        await worker.WaitForLineAsync("Sync worker started", TimeSpan.FromSeconds(30));
        var line = await worker.WaitForLineAsync("does not answer: offline", TimeSpan.FromSeconds(30));
        Assert.Contains($"127.0.0.1:{port}", line);
        Assert.False(worker.HasExited);
    }

    [Fact]
    public async Task The_worker_sees_Central_come_online()
    {
        using var listener = new HttpListener();
        var port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var serve = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            Assert.Equal("/health/ready", context.Request.Url!.AbsolutePath);
            context.Response.StatusCode = 200;
            context.Response.Close();
        });
        using var dir = new TempDirectory("kiosk-sync-worker");
        using var worker = new AppProcess("Kiosk.Sync", [$"--Storage:DatabasePath={dir.File("kiosk.db")}", $"--Central:BaseUrl=http://127.0.0.1:{port}/"]);

        await worker.WaitForLineAsync("answers: online", TimeSpan.FromSeconds(30));
        await serve;
    }

    internal static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
