using System.Collections.Frozen;

namespace Kiosk.Core.Eds;

/// <summary>
/// Citizen-facing messages for the EDS problem codes (the checker's, and the key-file codes of
/// <see cref="Pkcs12KeyFile"/>), in Kazakh, Russian and English. Plain words, and always what to do next: a Public
/// Service Centre (ХҚКО / ЦОН) renews or replaces keys, 1414 is the call centre.
/// </summary>
public static class EdsMessages
{
    /// <summary>The languages the kiosk speaks; the first is the fallback for an unknown one.</summary>
    public static IReadOnlyList<string> Languages { get; } = ["ru", "kk", "en"];

    /// <summary>The code whose message is shown for a code the catalog does not know.</summary>
    public const string Generic = "eds-not-confirmed";

    private sealed record Text(string Kk, string Ru, string En);

    private static readonly FrozenDictionary<string, Text> Catalog = new Dictionary<string, Text>
    {
        [EdsProblemCodes.Untrusted] = new(
            "Бұл ЭЦҚ кілтін біз сенетін куәландырушы орталық бермеген. Ұлттық куәландырушы орталық берген кілтті пайдаланыңыз немесе 1414 нөміріне қоңырау шалыңыз.",
            "Этот ключ ЭЦП выдан удостоверяющим центром, которому мы не доверяем. Используйте ключ, выданный Национальным удостоверяющим центром, или позвоните 1414.",
            "This EDS key was not issued by a certification authority we trust. Use a key issued by the National Certification Authority, or call 1414."),
        [EdsProblemCodes.Expired] = new(
            "ЭЦҚ кілтіңіздің мерзімі өтіп кеткен. Кілтті Халыққа қызмет көрсету орталығында (ХҚКО) жаңартыңыз немесе 1414 нөміріне қоңырау шалыңыз.",
            "Срок действия вашего ключа ЭЦП истёк. Обновите ключ в Центре обслуживания населения (ЦОН) или позвоните 1414.",
            "Your EDS key has expired. Renew it at a Public Service Centre, or call 1414."),
        [EdsProblemCodes.NotYetValid] = new(
            "ЭЦҚ кілтіңіз әлі күшіне енген жоқ. Кейінірек қайталап көріңіз немесе 1414 нөміріне қоңырау шалыңыз.",
            "Ваш ключ ЭЦП ещё не начал действовать. Попробуйте позже или позвоните 1414.",
            "Your EDS key is not valid yet. Please try again later, or call 1414."),
        [EdsProblemCodes.Revoked] = new(
            "ЭЦҚ кілтіңіз кері шақырылып алынған, енді ол жарамсыз. Жаңа кілтті Халыққа қызмет көрсету орталығынан (ХҚКО) алыңыз немесе 1414 нөміріне қоңырау шалыңыз.",
            "Ваш ключ ЭЦП отозван и больше не действует. Получите новый ключ в Центре обслуживания населения (ЦОН) или позвоните 1414.",
            "Your EDS key has been revoked and no longer works. Get a new key at a Public Service Centre, or call 1414."),
        [EdsProblemCodes.CrlStale] = new(
            "Кілтіңізді қазір тексеру мүмкін емес: кері шақырылған кілттер тізімі ескірген. Қызметкерге хабарлаңыз немесе 1414 нөміріне қоңырау шалыңыз.",
            "Сейчас нельзя проверить ваш ключ: список отозванных ключей устарел. Обратитесь к сотруднику или позвоните 1414.",
            "Your key cannot be checked right now: the list of revoked keys is out of date. Please ask a member of staff, or call 1414."),
        [EdsProblemCodes.CrlMissing] = new(
            "Кілтіңізді тексеру мүмкін емес: кері шақырылған кілттер тізімі жоқ. Қызметкерге хабарлаңыз немесе 1414 нөміріне қоңырау шалыңыз.",
            "Невозможно проверить ваш ключ: нет списка отозванных ключей. Обратитесь к сотруднику или позвоните 1414.",
            "Your key cannot be checked: the list of revoked keys is missing. Please ask a member of staff, or call 1414."),
        [EdsProblemCodes.WrongKeyUsage] = new(
            "Бұл кілт осы әрекетке арналмаған. Жүйеге кіру үшін атауы AUTH_ деп басталатын файлды, құжатқа қол қою үшін атауы RSA256_ деп басталатын файлды таңдаңыз.",
            "Этот ключ не предназначен для этого действия. Для входа выберите файл, имя которого начинается с AUTH_, а для подписи документа — файл, имя которого начинается с RSA256_.",
            "This key is not meant for this. To sign in, choose the file whose name starts with AUTH_; to sign a document, choose the file whose name starts with RSA256_."),
        [EdsProblemCodes.NoIin] = new(
            "Бұл кілтте ЖСН жоқ, сондықтан сізді анықтай алмаймыз. Жеке тұлғаның ЭЦҚ кілтін пайдаланыңыз немесе 1414 нөміріне қоңырау шалыңыз.",
            "В этом ключе нет ИИН, поэтому мы не можем вас определить. Используйте ключ ЭЦП физического лица или позвоните 1414.",
            "This key has no IIN, so we cannot tell who you are. Use a personal EDS key, or call 1414."),
        [EdsProblemCodes.BadIin] = new(
            "Кілттегі ЖСН (немесе БСН) қате жазылған. Кілтті Халыққа қызмет көрсету орталығында (ХҚКО) ауыстырыңыз немесе 1414 нөміріне қоңырау шалыңыз.",
            "ИИН (или БИН) в ключе записан с ошибкой. Замените ключ в Центре обслуживания населения (ЦОН) или позвоните 1414.",
            "The IIN (or BIN) in this key is wrong. Replace the key at a Public Service Centre, or call 1414."),
        [EdsProblemCodes.UnsupportedAlgorithm] = new(
            "Мұндай кілт түрін киоск қабылдамайды. RSA (кемінде 2048 бит) немесе ECDSA P-256 кілтін пайдаланыңыз, оны Халыққа қызмет көрсету орталығында (ХҚКО) алуға болады. Анықтама: 1414.",
            "Киоск не принимает такой тип ключа. Используйте ключ RSA (не менее 2048 бит) или ECDSA P-256 — его можно получить в Центре обслуживания населения (ЦОН). Справки: 1414.",
            "The kiosk does not accept this type of key. Use an RSA key (2048 bits or more) or an ECDSA P-256 key, which you can get at a Public Service Centre. Help: 1414."),
        [EdsProblemCodes.Malformed] = new(
            "Кілтті оқу мүмкін болмады. Дұрыс кілт файлын таңдағаныңызды тексеріңіз немесе 1414 нөміріне қоңырау шалыңыз.",
            "Не удалось прочитать ключ. Проверьте, что выбран правильный файл ключа, или позвоните 1414.",
            "The key could not be read. Check that you chose the right key file, or call 1414."),
        [EdsProblemCodes.BadSignature] = new(
            "Қолтаңба жарамсыз: ол осы кілтпен жасалмаған немесе бүлінген. Құжатқа қайта қол қойыңыз немесе 1414 нөміріне қоңырау шалыңыз.",
            "Подпись недействительна: она сделана не этим ключом или повреждена. Подпишите документ ещё раз или позвоните 1414.",
            "The signature is not valid: it was not made with this key, or it is damaged. Please sign again, or call 1414."),
        [EdsProblemCodes.ContentMismatch] = new(
            "Қол қойылғаннан кейін құжат өзгертілген, сондықтан қолтаңба оған сәйкес келмейді. Құжатқа қайта қол қойыңыз немесе 1414 нөміріне қоңырау шалыңыз.",
            "Документ изменён после подписания, поэтому подпись к нему не подходит. Подпишите документ ещё раз или позвоните 1414.",
            "The document was changed after it was signed, so the signature no longer matches it. Please sign it again, or call 1414."),
        [EdsProblemCodes.IinMismatch] = new(
            "Бұл кілт басқа адамға тиесілі: ондағы ЖСН өтініштегі ЖСН-мен сәйкес емес. Өз кілтіңізбен қол қойыңыз; анықтама: 1414.",
            "Этот ключ принадлежит другому человеку: ИИН в нём не совпадает с ИИН в заявке. Подпишите своим ключом; справки: 1414.",
            "This key belongs to someone else: its IIN is not the IIN on the request. Please sign with your own key; help: 1414."),
        [Pkcs12KeyFile.Codes.WrongPassword] = new(
            "Құпиясөз қате. Қайталап көріңіз. Құпиясөзді ұмытсаңыз, жаңа кілтті Халыққа қызмет көрсету орталығынан (ХҚКО) алыңыз.",
            "Неверный пароль. Попробуйте ещё раз. Если вы забыли пароль, получите новый ключ в Центре обслуживания населения (ЦОН).",
            "Wrong password. Please try again. If you have forgotten it, get a new key at a Public Service Centre."),
        [Pkcs12KeyFile.Codes.NotPkcs12] = new(
            "Бұл файл ЭЦҚ кілті емес. Атауы AUTH_ немесе RSA256_ деп басталатын .p12 файлын таңдаңыз.",
            "Этот файл не является ключом ЭЦП. Выберите файл .p12, имя которого начинается с AUTH_ или RSA256_.",
            "This file is not an EDS key. Choose a .p12 file whose name starts with AUTH_ or RSA256_."),
        [Pkcs12KeyFile.Codes.TooLarge] = new(
            "Файл тым үлкен, ол ЭЦҚ кілті емес. Атауы AUTH_ немесе RSA256_ деп басталатын .p12 файлын таңдаңыз.",
            "Файл слишком большой — это не ключ ЭЦП. Выберите файл .p12, имя которого начинается с AUTH_ или RSA256_.",
            "The file is too large to be an EDS key. Choose a .p12 file whose name starts with AUTH_ or RSA256_."),
        [Pkcs12KeyFile.Codes.NoPrivateKey] = new(
            "Бұл файлда жабық кілт жоқ, оған қол қою мүмкін емес. Басқа кілт файлын таңдаңыз немесе 1414 нөміріне қоңырау шалыңыз.",
            "В этом файле нет закрытого ключа, им нельзя подписать. Выберите другой файл ключа или позвоните 1414.",
            "This file has no private key, so it cannot sign. Choose another key file, or call 1414."),
        [Pkcs12KeyFile.Codes.Unreadable] = new(
            "Кілт файлын ашу мүмкін болмады. Басқа кілт файлын таңдаңыз немесе 1414 нөміріне қоңырау шалыңыз.",
            "Не удалось открыть файл ключа. Выберите другой файл ключа или позвоните 1414.",
            "The key file could not be opened. Choose another key file, or call 1414."),
        [Generic] = new(
            "ЭЦҚ расталмады. Қызметкерге хабарлаңыз немесе 1414 нөміріне қоңырау шалыңыз.",
            "ЭЦП не подтверждена. Обратитесь к сотруднику или позвоните 1414.",
            "Your EDS could not be confirmed. Please ask a member of staff, or call 1414."),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every code the catalog has a message for.</summary>
    public static IEnumerable<string> Codes => Catalog.Keys;

    public static bool Has(string code) => Catalog.ContainsKey(code);

    /// <summary>
    /// The message for <paramref name="code"/> in <paramref name="language"/> ("kk", "ru", "en"; a culture name such as
    /// "kk-KZ" works too). An unknown language falls back to Russian; an unknown code gets the generic
    /// "EDS not confirmed" message, so a screen never shows a raw code.
    /// </summary>
    public static string For(string code, string language)
    {
        var text = Catalog.TryGetValue(code, out var t) ? t : Catalog[Generic];
        var lang = language.Length >= 2 ? language[..2].ToLowerInvariant() : language;
        return lang switch
        {
            "kk" => text.Kk,
            "en" => text.En,
            _ => text.Ru,
        };
    }
}
