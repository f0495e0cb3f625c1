using Kiosk.Central;
using Kiosk.Central.DemoData;

// "demo-ca" is a tool run before (or beside) the service: it writes the demo PKI for people of the registry.
if (args is [DemoCaFromRegistry.CommandName, .. var rest])
    return DemoCaFromRegistry.Run(rest, Console.Out, TimeProvider.System);

await CentralApp.Build(args).RunAsync();
return 0;
