using System.Text;
using System.Text.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Kiosk.Tests.Web.Browser;

/// <summary>The two accessibility checks every kiosk screen must pass: axe-core's WCAG 2.2 A/AA rules with
/// <c>target-size</c> on, and the kiosk's own stricter rule that every control is at least 48×48 CSS px.</summary>
public static class AccessibilityChecks
{
    public const int MinTarget = 48;

    private static AxeRunOptions WcagOptions() => new()
    {
        RunOnly = new RunOnlyOptions
        {
            Type = "tag",
            Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
        },
        // target-size (WCAG 2.2 SC 2.5.8) is off by default in axe; the kiosk wants it.
        Rules = new Dictionary<string, RuleOptions> { ["target-size"] = new() { Enabled = true } },
        // Every failing node of a violation, but only one example of everything that passed: much less to carry back.
        ResultTypes = [ResultType.Violations],
    };

    public static async Task AssertNoAxeViolationsAsync(IPage page, string what)
    {
        // axe.run in the page itself. RunAxe would run it frame by frame and then merge the parts in a new page of
        // a new context, built and torn down for every call: 2–3 s a screen on this machine against 0.5 s, for the
        // same engine, rules and result on pages like the kiosk's, which have no frames. If the library drops this
        // mode, RunAxe(WcagOptions()) is the drop-in replacement. axe waits on the page's timers; a page whose
        // clock stopped would otherwise hang the run for ever, hence the time limit.
#pragma warning disable CS0618 // "Legacy Mode is being removed in the future"
        var result = await page.RunAxeLegacy(null, WcagOptions()).WaitAsync(TimeSpan.FromSeconds(90));
#pragma warning restore CS0618
        // A run that checked nothing would pass silently; the rules that matter here must have run.
        // (With a modal dialog open axe looks only inside the dialog, so page-level rules such as html-has-lang
        // may not apply; contrast and target size always do.)
        var ran = result.Passes.Concat(result.Violations).Concat(result.Incomplete).Select(r => r.Id).ToHashSet();
        Assert.True(ran.Contains("color-contrast") && ran.Contains("target-size"),
            $"{what}: axe did not run the expected rules; ran: {string.Join(", ", ran.Order())}");
        Assert.True(result.Violations.Length == 0, $"{what}: axe found violations:\n{Describe(result.Violations)}");
    }

    private static string Describe(IEnumerable<AxeResultItem> violations)
    {
        var text = new StringBuilder();
        foreach (var v in violations)
        {
            text.AppendLine($"- {v.Id} ({v.Impact}): {v.Help} [{string.Join(", ", v.Tags)}]");
            foreach (var node in v.Nodes.Take(10))
            {
                var checks = (node.Any ?? []).Concat(node.All ?? []).Concat(node.None ?? []).Select(c => c.Message);
                text.AppendLine($"    {node.Target}: {node.Html}\n      {string.Join("; ", checks)}");
            }
        }
        return text.ToString();
    }

    /// <summary>
    /// Every visible control is at least 48×48 CSS px: links, buttons, inputs, selects, text areas and role=button.
    /// A control that is rendered but transparent (the key-file input lies over its whole drop box) is the thing a
    /// finger hits, so its own box counts; a file input shrunk out of sight is checked through its labels instead.
    /// </summary>
    public static async Task AssertTargetsAtLeast48Async(IPage page, string what)
    {
        var json = await page.EvaluateAsync<string>(
            """
            (min) => {
              const shown = el => el.getClientRects().length > 0 &&
                el.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true });
              const describe = el => {
                const r = el.getBoundingClientRect();
                const text = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim().replace(/\s+/g, ' ');
                return { tag: el.tagName.toLowerCase(), id: el.id, key: el.dataset.key || '', text: text.slice(0, 40),
                         width: Math.round(r.width * 10) / 10, height: Math.round(r.height * 10) / 10 };
              };
              const small = el => { const r = el.getBoundingClientRect(); return r.width < min || r.height < min; };
              const selector = 'a[href], button, input:not([type="hidden"]), select, textarea, [role="button"]';
              const targets = [];
              for (const el of document.querySelectorAll(selector)) {
                if (!shown(el)) continue;
                if (el.matches('input[type="file"]') && small(el)) {
                  // Shrunk out of sight: the visible stand-ins are its labels.
                  for (const label of el.labels) if (shown(label)) targets.push(label);
                  continue;
                }
                targets.push(el);
              }
              return JSON.stringify({ count: targets.length, small: targets.filter(small).map(describe) });
            }
            """, MinTarget);
        var report = JsonSerializer.Deserialize<TargetReport>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.True(report.Count > 0, $"{what}: no controls found to check");
        Assert.True(report.Small.Count == 0,
            $"{what}: {report.Small.Count} of {report.Count} visible controls are smaller than {MinTarget}×{MinTarget} px:\n" +
            string.Join("\n", report.Small.Select(s => $"- <{s.Tag} id='{s.Id}' data-key='{s.Key}'> \"{s.Text}\" {s.Width}×{s.Height}")));
    }

    private sealed record TargetReport(int Count, List<SmallTarget> Small);

    private sealed record SmallTarget(string Tag, string Id, string Key, string Text, double Width, double Height);
}
