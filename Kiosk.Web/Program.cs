Kiosk.Web.KioskApp.Build(args).Run();
