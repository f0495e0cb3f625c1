using Kiosk.SlipCheck;

return SlipCheckCommand.Run(args, Console.Out, Console.Error);
