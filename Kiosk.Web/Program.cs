// `Kiosk.Web hash-password` (operators, issue 4 item 6) prints a PasswordHasher hash for Operators:Accounts:<name>.
if (args is [Kiosk.Web.Staff.HashPasswordCommand.Name, ..])
    return Kiosk.Web.Staff.HashPasswordCommand.Run(Console.In, Console.Out, Console.Error);
Kiosk.Web.KioskApp.Build(args).Run();
return 0;
