using Kiosk.Central;
using Kiosk.Central.DemoData;

// "demo-ca" is a tool run before (or beside) the service: it writes the demo PKI for people of the registry.
if (args is [DemoCaFromRegistry.CommandName, .. var rest])
    return DemoCaFromRegistry.Run(rest, Console.Out, TimeProvider.System);
// "staff" is the admin's command for the staff register (issue 12 item 1; docs/staff.md).
if (args is [Kiosk.Central.Staff.StaffCommand.Name, .. var staffArgs])
    return Kiosk.Central.Staff.StaffCommand.Run(staffArgs, Console.In, Console.Out, Console.Error, TimeProvider.System);

await CentralApp.Build(args).RunAsync();
return 0;
