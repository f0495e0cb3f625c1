using Kiosk.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The sync worker in its own process beside the kiosk node, so a hung network call never freezes the kiosk screen.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddKioskSync(builder.Configuration);
builder.Build().Run();
