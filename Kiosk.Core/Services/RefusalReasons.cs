using System.Collections.Frozen;

namespace Kiosk.Core.Services;

/// <summary>
/// Why the provider refused a request: stable codes (stored, sent from Central to kiosks, printed on refusal slips)
/// and the words a citizen reads, in Kazakh, Russian and English (DESIGN §7: every refusal names its rule in words a
/// citizen understands). Each message says what to do instead.
/// </summary>
public static class RefusalReasons
{
    public const string NotInRegistry = "not-in-registry";
    public const string Deceased = "deceased";
    public const string NotAttached = "not-attached";
    public const string ClinicClosedToday = "clinic-closed-today";
    public const string AfterCutOff = "after-cut-off";
    public const string DayOver = "day-over";

    // Appointment (issue 5; DESIGN §7): Services/Appointment/AppointmentRule.
    public const string SlotNotFound = "slot-not-found";
    public const string OtherClinic = "other-clinic";
    public const string SlotPast = "slot-past";
    public const string SlotTaken = "slot-taken";
    public const string DoctorAlreadyBooked = "doctor-already-booked";

    // Cancellation of a booking (issue 5): Services/Appointment/CancellationRule.
    public const string BookingNotFound = "booking-not-found";
    public const string BookingNotYours = "booking-not-yours";
    public const string BookingPast = "booking-past";
    public const string BookingAlreadyCancelled = "booking-already-cancelled";

    // Attachment (issue 5; DESIGN §7): Services/Attachment/AttachmentRule.
    public const string ClinicNotFound = "clinic-not-found";
    public const string ClinicNotServingDistrict = "clinic-not-serving-district";
    public const string AlreadyAttachedHere = "already-attached-here";
    public const string NotFirstAttachment = "not-first-attachment";
    public const string VoluntaryLimitReached = "voluntary-limit-reached";
    public const string OutsideCampaign = "outside-campaign";

    // Filed at the desk by a registrar (issue 12; regulation diagram 2): Staff/StaffFilingRule. The citizen reads them on
    // the refusal slip, so they say what the citizen can do; the registrar sees the code as well.
    public const string StaffNotRegistrar = "staff-not-registrar";
    public const string StaffAccountDisabled = "staff-account-disabled";
    public const string StaffNotEmployee = "staff-not-employee";
    public const string StaffWrongBin = "staff-wrong-bin";

    private sealed record Text(string Kk, string Ru, string En);

    private static readonly FrozenDictionary<string, Text> Catalog = new Dictionary<string, Text>
    {
        [NotInRegistry] = new(
            "Сіздің ЖСН-іңіз халықты тіркеу тізілімінде табылмады. Халыққа қызмет көрсету орталығына (ХҚКО) жүгініңіз немесе 1414 нөміріне қоңырау шалыңыз.",
            "Ваш ИИН не найден в регистре населения. Обратитесь в Центр обслуживания населения (ЦОН) или позвоните 1414.",
            "Your IIN was not found in the population registry. Please visit a Public Service Centre, or call 1414."),
        [Deceased] = new(
            "Тізілім бойынша бұл адам қайтыс болған деп белгіленген, сондықтан өтініш қабылданбайды. Қате болса, Халыққа қызмет көрсету орталығына (ХҚКО) жүгініңіз немесе 1414 нөміріне қоңырау шалыңыз.",
            "По данным регистра этот человек значится умершим, поэтому заявка не может быть принята. Если это ошибка, обратитесь в Центр обслуживания населения (ЦОН) или позвоните 1414.",
            "The registry lists this person as deceased, so the request cannot be accepted. If this is a mistake, please visit a Public Service Centre, or call 1414."),
        [NotAttached] = new(
            "Сіз ешбір емханаға тіркелмегенсіз. Алдымен емханаға тіркеліңіз (осы киоскіде «Емханаға тіркелу»), ал шұғыл жағдайда 103 нөміріне қоңырау шалыңыз. Анықтама: 1414.",
            "Вы не прикреплены ни к одной поликлинике. Сначала прикрепитесь к поликлинике (услуга «Прикрепление» на этом киоске), а в неотложном случае звоните 103. Справки: 1414.",
            "You are not attached to any clinic. Attach to a clinic first (the \"Attach to a clinic\" service on this kiosk); in an emergency call 103. Help: 1414."),
        [ClinicClosedToday] = new(
            "Бүгін сіздің емханаңыз жұмыс істемейді, сондықтан дәрігерді үйге шақыру қабылданбайды. Шұғыл жағдайда 103 нөміріне қоңырау шалыңыз немесе келесі жұмыс күні өтініш беріңіз. Анықтама: 1414.",
            "Сегодня ваша поликлиника не работает, поэтому вызов врача на дом не принимается. В неотложном случае звоните 103 или подайте заявку в следующий рабочий день. Справки: 1414.",
            "Your clinic is closed today, so a home call cannot be accepted. In an emergency call 103, or apply on the clinic's next working day. Help: 1414."),
        [AfterCutOff] = new(
            "Дәрігерді үйге шақыру емхана жұмысы аяқталардан 2 сағат бұрын ғана қабылданады, бұл уақыт өтіп кетті. Шұғыл жағдайда 103 нөміріне қоңырау шалыңыз немесе ертең өтініш беріңіз. Анықтама: 1414.",
            "Вызов врача на дом принимается не позднее чем за 2 часа до окончания работы поликлиники, а это время уже прошло. В неотложном случае звоните 103 или подайте заявку завтра. Справки: 1414.",
            "Home calls are accepted only until 2 hours before your clinic closes, and that time has passed. In an emergency call 103, or apply tomorrow. Help: 1414."),
        [DayOver] = new(
            "Өтінішіңіз уақытында қол қойылды, бірақ емханаға оның күні аяқталғаннан кейін ғана жетті, сондықтан дәрігер келе алмайды. Емханаңызға немесе 1414 нөміріне қоңырау шалыңыз.",
            "Ваша заявка подписана вовремя, но дошла до поликлиники только после окончания её рабочего дня, поэтому врач не сможет прийти. Позвоните в свою поликлинику или по номеру 1414.",
            "Your request was signed in time but reached the clinic only after its working day had ended, so a doctor cannot come. Please phone your clinic, or call 1414."),
        [SlotNotFound] = new(
            "Таңдалған уақыт дәрігердің кестесінде жоқ (кесте өзгерген болуы мүмкін). Киоскіде басқа уақытты таңдаңыз немесе 1414 нөміріне қоңырау шалыңыз.",
            "Выбранного времени нет в расписании врача (расписание могло измениться). Выберите другое время на киоске или позвоните 1414.",
            "The time you chose is not in the doctor's schedule (the schedule may have changed). Please choose another time at the kiosk, or call 1414."),
        [OtherClinic] = new(
            "Бұл дәрігер сіз тіркелмеген емханада жұмыс істейді. Өз емханаңыздың дәрігеріне жазылыңыз немесе тіркелуді ауыстырыңыз (осы киоскідегі «Емханаға тіркелу» қызметі). Анықтама: 1414.",
            "Этот врач работает в поликлинике, к которой вы не прикреплены. Запишитесь к врачу своей поликлиники или смените прикрепление (услуга «Прикрепление» на этом киоске). Справки: 1414.",
            "This doctor works at a clinic you are not attached to. Book a doctor of your own clinic, or change your attachment (the \"Attach to a clinic\" service on this kiosk). Help: 1414."),
        [SlotPast] = new(
            "Таңдалған уақыт өтіп кетті. Осы дәрігердің басқа бос уақытын таңдаңыз (жақын нұсқалар, бар болса, осында көрсетілген) немесе 1414 нөміріне қоңырау шалыңыз.",
            "Выбранное время уже прошло. Выберите другое свободное время у этого врача (ближайшие варианты, если они есть, показаны здесь же) или позвоните 1414.",
            "The time you chose has already passed. Please choose another free time with this doctor (the nearest ones, if any, are shown here), or call 1414."),
        [SlotTaken] = new(
            "Бұл уақытты басқа науқас алып қойды. Осында көрсетілген осы дәрігердің жақын бос уақыттарының бірін таңдаңыз (ол үшін жаңа қолтаңба қажет) немесе 1414 нөміріне қоңырау шалыңыз.",
            "Это время уже занял другой пациент. Выберите одно из ближайших свободных времён этого врача, показанных здесь (для этого нужна новая подпись), или позвоните 1414.",
            "Someone else has just booked this time. Please choose one of this doctor's nearest free times shown here (it needs a new signature), or call 1414."),
        [DoctorAlreadyBooked] = new(
            "Сізде осы дәрігерге алдағы жазылу бар. Белгіленген уақытта келіңіз немесе алдымен сол жазылудан бас тартып, қайта жазылыңыз. Анықтама: 1414.",
            "У вас уже есть предстоящая запись к этому врачу. Придите в назначенное время или сначала отмените ту запись и запишитесь заново. Справки: 1414.",
            "You already have an upcoming appointment with this doctor. Keep that appointment, or cancel it first and then book again. Help: 1414."),
        [BookingNotFound] = new(
            "Сіз бас тартқыңыз келген жазылу табылмады. Мәртебе экранында жазылуларыңызды тексеріңіз немесе 1414 нөміріне қоңырау шалыңыз.",
            "Запись, которую вы хотите отменить, не найдена. Проверьте свои записи на экране статуса или позвоните 1414.",
            "The appointment you want to cancel was not found. Please check your appointments on the status screen, or call 1414."),
        [BookingNotYours] = new(
            "Бұл жазылу басқа адамның атына рәсімделген: одан тек сол адамның өзі бас тарта алады. Анықтама: 1414.",
            "Эта запись оформлена на другого человека: отменить её может только он сам. Справки: 1414.",
            "This appointment is booked for another person: only that person can cancel it. Help: 1414."),
        [BookingPast] = new(
            "Бұл жазылудың уақыты келіп қойды немесе өтіп кетті, сондықтан одан бас тарту мүмкін емес. Келе алмасаңыз, емханаңызға немесе 1414 нөміріне қоңырау шалыңыз.",
            "Время этой записи уже наступило или прошло, поэтому её нельзя отменить. Если вы не смогли прийти, позвоните в свою поликлинику или по номеру 1414.",
            "The time of this appointment has already come or passed, so it cannot be cancelled. If you could not come, please phone your clinic, or call 1414."),
        [BookingAlreadyCancelled] = new(
            "Бұл жазылудың күші бұрын жойылған, уақыт босатылды. Қажет болса, қайта жазылыңыз. Анықтама: 1414.",
            "Эта запись уже отменена, её время освобождено. Если нужно, запишитесь заново. Справки: 1414.",
            "This appointment has already been cancelled and its time is free. Book again if you need to. Help: 1414."),
        [ClinicNotFound] = new(
            "Таңдалған емхана анықтамалықта табылмады (киоск деректері ескірген болуы мүмкін). Тізімнен емхананы қайта таңдаңыз немесе 1414 нөміріне қоңырау шалыңыз.",
            "Выбранная поликлиника не найдена в справочнике (возможно, данные киоска устарели). Выберите поликлинику из списка заново или позвоните 1414.",
            "The clinic you chose was not found (the kiosk's list may be out of date). Please choose a clinic from the list again, or call 1414."),
        [ClinicNotServingDistrict] = new(
            "Бұл емхана сіз тұратын ауданға қызмет көрсетпейді. Ауданыңызға қызмет көрсететін емхананы таңдаңыз (тізім осы киоскіде). Анықтама: 1414.",
            "Эта поликлиника не обслуживает район вашего проживания. Выберите поликлинику, которая обслуживает ваш район (список на этом киоске). Справки: 1414.",
            "This clinic does not serve the district you live in. Please choose a clinic that serves your district (listed on this kiosk). Help: 1414."),
        [AlreadyAttachedHere] = new(
            "Сіз осы емханаға тіркелгенсіз, ештеңені өзгертудің қажеті жоқ. Анықтама: 1414.",
            "Вы уже прикреплены к этой поликлинике, ничего менять не нужно. Справки: 1414.",
            "You are already attached to this clinic; nothing needs to change. Help: 1414."),
        [NotFirstAttachment] = new(
            "Сіз емханаға тіркелгенсіз, сондықтан бұл алғашқы тіркелу емес. Себеп ретінде «өз қалауым бойынша» немесе «тұрғылықты жерді ауыстыру» таңдаңыз. Анықтама: 1414.",
            "Вы уже прикреплены к поликлинике, поэтому это не первое прикрепление. Выберите причину «по собственному желанию» или «смена места жительства». Справки: 1414.",
            "You are already attached to a clinic, so this is not a first attachment. Please choose \"my own choice\" or \"change of residence\" as the reason. Help: 1414."),
        [VoluntaryLimitReached] = new(
            "Осы күнтізбелік жылы сіз емхананы өз қалауыңызбен рұқсат етілген рет ауыстырдыңыз. Келесі жылы ауыстыра аласыз, ал тұрғылықты жеріңізді ауыстырсаңыз — бірден («тұрғылықты жерді ауыстыру» себебін таңдаңыз). Анықтама: 1414.",
            "В этом календарном году вы уже меняли поликлинику по собственному желанию столько раз, сколько разрешено. Сменить её можно в следующем году, а при переезде — сразу, с причиной «смена места жительства». Справки: 1414.",
            "You have already changed clinic by your own choice as many times as allowed this calendar year. You can change again next year, or at once if you have moved house (choose \"change of residence\"). Help: 1414."),
        [OutsideCampaign] = new(
            "Емхананы өз қалауыңызбен тек тіркелу науқаны кезінде ауыстыруға болады. Науқан кезінде өтініш беріңіз, ал тұрғылықты жеріңізді ауыстырсаңыз — кез келген уақытта («тұрғылықты жерді ауыстыру» себебін таңдаңыз). Анықтама: 1414.",
            "Сменить поликлинику по собственному желанию можно только в период кампании по прикреплению. Подайте заявку в этот период, а при переезде — в любое время, с причиной «смена места жительства». Справки: 1414.",
            "A change of clinic by your own choice is possible only during the attachment campaign. Please apply during the campaign, or at any time if you have moved house (choose \"change of residence\"). Help: 1414."),
        [StaffNotRegistrar] = new(
            "Өтінішке қол қойған қызметкер осы емхананың тіркеушісі ретінде тіркелмеген, сондықтан өтініш қабылданбайды. Тіркеу бөліміне қайта жүгініңіз немесе киоскіде өзіңіз өтініш беріңіз. Анықтама: 1414.",
            "Сотрудник, подписавший заявку, не зарегистрирован как регистратор этой поликлиники, поэтому заявка не принята. Обратитесь в регистратуру ещё раз или подайте заявку сами на киоске. Справки: 1414.",
            "The member of staff who signed the request is not registered as a registrar of this clinic, so the request was not accepted. Please ask at the desk again, or file the request yourself at the kiosk. Help: 1414."),
        [StaffAccountDisabled] = new(
            "Өтінішке қол қойған қызметкердің есептік жазбасы өшірілген, сондықтан өтініш қабылданбайды. Тіркеу бөліміне қайта жүгініңіз немесе киоскіде өзіңіз өтініш беріңіз. Анықтама: 1414.",
            "Учётная запись сотрудника, подписавшего заявку, отключена, поэтому заявка не принята. Обратитесь в регистратуру ещё раз или подайте заявку сами на киоске. Справки: 1414.",
            "The account of the member of staff who signed the request is disabled, so the request was not accepted. Please ask at the desk again, or file the request yourself at the kiosk. Help: 1414."),
        [StaffNotEmployee] = new(
            "Өтінішке қызметкердің жеке ЭЦҚ-сымен қол қойылған, ал ұйым қызметкерінің ЭЦҚ-сы қажет, сондықтан өтініш қабылданбайды. Тіркеу бөліміне қайта жүгініңіз немесе киоскіде өзіңіз өтініш беріңіз. Анықтама: 1414.",
            "Заявка подписана личной ЭЦП сотрудника, а нужна ЭЦП сотрудника организации, поэтому заявка не принята. Обратитесь в регистратуру ещё раз или подайте заявку сами на киоске. Справки: 1414.",
            "The request was signed with the staff member's personal digital signature, not with an employee's one of the clinic, so it was not accepted. Please ask at the desk again, or file the request yourself at the kiosk. Help: 1414."),
        [StaffWrongBin] = new(
            "Өтінішке басқа ұйымның қызметкерінің ЭЦҚ-сымен қол қойылған (БСН осы емхананікі емес), сондықтан өтініш қабылданбайды. Тіркеу бөліміне қайта жүгініңіз немесе киоскіде өзіңіз өтініш беріңіз. Анықтама: 1414.",
            "Заявка подписана ЭЦП сотрудника другой организации (БИН не этой поликлиники), поэтому заявка не принята. Обратитесь в регистратуру ещё раз или подайте заявку сами на киоске. Справки: 1414.",
            "The request was signed with an employee signature of another organisation (not this clinic's BIN), so it was not accepted. Please ask at the desk again, or file the request yourself at the kiosk. Help: 1414."),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static IEnumerable<string> Codes => Catalog.Keys;

    public static bool Has(string code) => Catalog.ContainsKey(code);

    /// <summary>The reason in "kk", "ru" or "en" (a culture name works too); unknown languages get Russian.</summary>
    public static string For(string code, string language)
    {
        if (!Catalog.TryGetValue(code, out var text))
            throw new ArgumentOutOfRangeException(nameof(code), code, "Not a refusal reason.");
        var lang = language.Length >= 2 ? language[..2].ToLowerInvariant() : language;
        return lang switch { "kk" => text.Kk, "en" => text.En, _ => text.Ru };
    }
}
