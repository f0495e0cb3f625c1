// The public slip check (issue 6 item 4): reads the token from the URL's fragment (which never reaches a server log),
// asks Central to verify it and shows the answer in Kazakh, Russian or English. Text goes in with textContent only.
"use strict";
(function () {
  const T = {
    kk: {
      title: "Талонды тексеру", checking: "Тексеріп жатырмыз…", paste: "QR-кодтың мәтінін қойыңыз", check: "Тексеру",
      footer: "Бірыңғай байланыс орталығы: 1414", genuine: "Талон түпнұсқа", notGenuine: "Талон түпнұсқа емес",
      failed: "Тексеру мүмкін болмады. Кейінірек қайталап көріңіз.", empty: "Сілтемеде талон жоқ.",
      newer: "Бұл өтінім бойынша жаңа шешім бар: ", kind: "Талон", service: "Қызмет", number: "Тіркеу нөмірі",
      request: "Өтінім", when: "Уақыты", clinic: "Емхана", doctor: "Дәрігер", decision: "Шешім", reason: "Себебі",
      deadline: "Мерзімі", person: "Өтініш беруші", issued: "Берілген уақыты", issuer: "Қол қойған",
      provider: "Қызмет беруші", kioskIssuer: "Киоск ",
      kinds: { receipt: "Қабылдау туралы түбіртек", result: "Нәтиже", refusal: "Бас тарту" },
      services: { "home-call": "Дәрігерді үйге шақыру", appointment: "Дәрігердің қабылдауына жазылу", attachment: "Емханаға тіркелу" },
      decisions: { queued: "қабылданды, шешім күтілуде", registered: "тіркелді, шешім күтілуде", accepted: "қабылданды", refused: "бас тартылды" },
      problems: {
        "bad-signature": "Қолтаңба сәйкес келмейді: талон өзгертілген немесе жалған.",
        "unknown-key": "Талонға белгісіз кілтпен қол қойылған.",
        "revoked-key": "Талонға кері қайтарылған кілтпен қол қойылған.",
        "wrong-issuer": "Бұл кілт мұндай талонға қол қоя алмайды.",
        "malformed": "Бұл талон коды емес.", "too-large": "Код тым үлкен."
      }
    },
    ru: {
      title: "Проверка талона", checking: "Проверяем…", paste: "Вставьте текст QR-кода", check: "Проверить",
      footer: "Единый контакт-центр: 1414", genuine: "Талон подлинный", notGenuine: "Талон не подлинный",
      failed: "Проверить не удалось. Попробуйте позже.", empty: "В ссылке нет талона.",
      newer: "По этой заявке есть более новое решение: ", kind: "Талон", service: "Услуга", number: "Регистрационный номер",
      request: "Заявка", when: "Время", clinic: "Поликлиника", doctor: "Врач", decision: "Решение", reason: "Причина",
      deadline: "Срок", person: "Заявитель", issued: "Выдан", issuer: "Подписал",
      provider: "Услугодатель", kioskIssuer: "Киоск ",
      kinds: { receipt: "Расписка о приёме", result: "Результат", refusal: "Отказ" },
      services: { "home-call": "Вызов врача на дом", appointment: "Запись на приём к врачу", attachment: "Прикрепление к поликлинике" },
      decisions: { queued: "принята, ожидает решения", registered: "зарегистрирована, ожидает решения", accepted: "принята", refused: "отказано" },
      problems: {
        "bad-signature": "Подпись не сходится: талон изменён или подделан.",
        "unknown-key": "Талон подписан неизвестным ключом.",
        "revoked-key": "Талон подписан отозванным ключом.",
        "wrong-issuer": "Этот ключ не может подписывать такие талоны.",
        "malformed": "Это не код талона.", "too-large": "Код слишком большой."
      }
    },
    en: {
      title: "Slip check", checking: "Checking…", paste: "Paste the text of the QR code", check: "Check",
      footer: "Call centre: 1414", genuine: "The slip is genuine", notGenuine: "The slip is not genuine",
      failed: "The check could not be done. Please try again later.", empty: "The link holds no slip.",
      newer: "There is a newer decision on this request: ", kind: "Slip", service: "Service", number: "Registration number",
      request: "Request", when: "When", clinic: "Clinic", doctor: "Doctor", decision: "Decision", reason: "Reason",
      deadline: "Deadline", person: "Applicant", issued: "Issued", issuer: "Signed by",
      provider: "Service provider", kioskIssuer: "Kiosk ",
      kinds: { receipt: "Receipt", result: "Result", refusal: "Refusal" },
      services: { "home-call": "Doctor home call", appointment: "Doctor's appointment", attachment: "Attachment to a clinic" },
      decisions: { queued: "accepted, awaiting the provider's decision", registered: "registered, awaiting the decision", accepted: "accepted", refused: "refused" },
      problems: {
        "bad-signature": "The signature does not match: the slip was changed or forged.",
        "unknown-key": "The slip is signed with an unknown key.",
        "revoked-key": "The slip is signed with a revoked key.",
        "wrong-issuer": "This key may not sign such a slip.",
        "malformed": "This is not a slip's code.", "too-large": "The code is too large."
      }
    }
  };
  const stored = (() => { try { return localStorage.getItem("verify.lang"); } catch { return null; } })();
  const guess = (navigator.language || "ru").slice(0, 2);
  let lang = T[stored] ? stored : (T[guess] ? guess : "ru");
  let answer = null;
  let failure = null;

  const $ = (id) => document.getElementById(id);

  function render() {
    const t = T[lang];
    document.documentElement.lang = lang;
    document.title = t.title;
    document.querySelectorAll("[data-t]").forEach((el) => { el.textContent = t[el.dataset.t]; });
    document.querySelectorAll("[data-lang]").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.lang === lang)));
    if (failure) { $("state").textContent = t[failure]; $("state").hidden = false; return; }
    if (!answer) return;
    $("state").hidden = true;
    $("verdict").hidden = false;
    const verdict = $("verdict-text");
    verdict.className = "verdict " + (answer.valid ? "ok" : "bad");
    verdict.textContent = answer.valid ? t.genuine : t.notGenuine + ". " + answer.problems.map((p) => t.problems[p] || p).join(" ");
    const facts = $("facts");
    facts.replaceChildren();
    const newer = $("newer");
    newer.hidden = true;
    if (!answer.valid) return;
    const c = answer.claims, d = answer.details || {};
    const add = (label, value) => {
      if (value === null || value === undefined || value === "") return;
      const dt = document.createElement("dt"); dt.textContent = label;
      const dd = document.createElement("dd"); dd.textContent = value;
      facts.append(dt, dd);
    };
    add(t.kind, t.kinds[c.k] || c.k);
    add(t.service, t.services[c.svc] || c.svc);
    add(t.number, c.reg);
    add(t.request, c.rid);
    add(t.decision, t.decisions[c.dec] || c.dec);
    add(t.reason, d.reason ? d.reason[lang] : c.rsn);
    add(t.when, c.at ? c.at.replace("T", " ") + (c.to ? "–" + c.to : "") : null);
    add(t.clinic, d.clinic ? d.clinic[lang] + (d.clinicAddress ? ", " + d.clinicAddress : "") : c.cln);
    add(t.doctor, d.doctor || c.doc);
    add(t.deadline, c.dl ? c.dl.replace("T", " ") : null);
    add(t.person, [c.ini, c.iin].filter(Boolean).join(", "));
    add(t.issued, new Date(c.iat * 1000).toLocaleString(lang === "kk" ? "kk-KZ" : lang === "en" ? "en-GB" : "ru-RU", { timeZone: "Asia/Almaty" }));
    add(t.issuer, c.iss === "provider" ? t.provider : t.kioskIssuer + c.iss.replace(/^kiosk:/, ""));
    if (answer.current && answer.current.newer) {
      newer.hidden = false;
      newer.textContent = t.newer + (t.decisions[answer.current.status] || answer.current.status) +
        (answer.current.registrationNumber ? " (" + answer.current.registrationNumber + ")" : "");
    }
  }

  async function check(text) {
    failure = null; answer = null;
    $("verdict").hidden = true;
    $("state").hidden = false;
    $("state").textContent = T[lang].checking;
    try {
      const response = await fetch("/api/slips/verify", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ token: text })
      });
      if (!response.ok) throw new Error(String(response.status));
      answer = await response.json();
    } catch {
      failure = "failed";
    }
    render();
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-lang]").forEach((b) => b.addEventListener("click", () => {
      lang = b.dataset.lang;
      try { localStorage.setItem("verify.lang", lang); } catch { /* private mode */ }
      render();
    }));
    $("check").addEventListener("click", () => check($("token-input").value));
    const fromFragment = () => {
      const token = decodeURIComponent(location.hash.replace(/^#/, ""));
      if (token) { $("paste").hidden = true; check(token); } else { failure = "empty"; $("paste").hidden = false; render(); }
    };
    // Another slip's link opened in the same tab changes only the fragment: check that one too.
    window.addEventListener("hashchange", fromFragment);
    fromFragment();
  });
})();
