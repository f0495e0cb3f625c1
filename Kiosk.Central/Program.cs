await Kiosk.Central.CentralApp.Build(args).RunAsync();
