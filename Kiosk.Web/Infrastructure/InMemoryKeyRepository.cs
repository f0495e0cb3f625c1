using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Kiosk.Web.Infrastructure;

/// <summary>
/// Keeps the data-protection keys (which protect the session cookie and the antiforgery tokens) in memory only. The
/// kiosk's sessions live in memory too, so a restart ends them all anyway; no key is ever written to disk, where the
/// default would put it (the user profile, unencrypted on Linux).
/// </summary>
public sealed class InMemoryKeyRepository : IXmlRepository
{
    private readonly List<XElement> _elements = [];

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        lock (_elements) return _elements.Select(e => new XElement(e)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        lock (_elements) _elements.Add(new XElement(element));
    }
}
