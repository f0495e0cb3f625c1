using Kiosk.Node;
using Kiosk.Storage;
using Kiosk.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The sync worker in its own process beside the kiosk node, so a hung network call never freezes the kiosk screen.
// Both open the kiosk's SQLite file (Storage:DatabasePath, WAL); whichever starts first applies the kiosk's schema.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddSqliteStore(builder.Configuration, KioskNodeSchema.Migrations, o => o.DatabasePath = Path.Combine(".data", "kiosk.db"));
// The outbox's answers must survive a power cut as the requests do (DESIGN §6): FULL, as the kiosk node.
builder.Services.PostConfigure<StorageOptions>(o => o.Synchronous = SynchronousMode.Full);
builder.Services.AddKioskSync(builder.Configuration);
using var host = builder.Build();
host.Services.PrepareDatabase();
host.Run();
