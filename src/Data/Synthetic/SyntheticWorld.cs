using CogLtx.Tensors;
using System.Text;

namespace CogLtx.Data;

/// <summary>
/// The entities of one synthetic document and their facts, each relation a function (one founder per organisation,
/// one birthplace per person, ...), so the document never contradicts itself and a two-hop question has exactly one
/// answer. Also fills sentence templates with the world's entities.
/// </summary>
internal sealed class SyntheticWorld
{
    private readonly Rng rng;

    public SyntheticWorld(Rng rng, int persons = 40, int cities = 20, int organisations = 14, int books = 14)
    {
        this.rng = rng;
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (names.Count < persons) names.Add($"{rng.Pick(Lexicon.FirstNames)} {rng.Pick(Lexicon.Surnames)}");
        Persons = [.. names];
        Cities = rng.Sample(Lexicon.Cities, cities);
        Organisations = rng.Sample(Lexicon.Organisations, organisations);
        var titles = new HashSet<string>(StringComparer.Ordinal);
        while (titles.Count < books) titles.Add($"The {rng.Pick(Lexicon.BookAdjectives)} {rng.Pick(Lexicon.BookNouns)}");
        Books = [.. titles];

        foreach (var person in Persons)
        {
            BirthCity[person] = rng.Pick(Cities);
            HomeCity[person] = rng.Pick(Cities);
            Employer[person] = rng.Pick(Organisations);
        }
        var founders = rng.Sample(Persons, Organisations.Count);
        for (var i = 0; i < Organisations.Count; i++) Founder[Organisations[i]] = founders[i];
        foreach (var book in Books) Author[book] = rng.Pick(Persons);
        // Spouses: disjoint pairs among a shuffled half of the persons; each pair is stated in one direction only.
        var shuffled = Persons.ToList();
        rng.Shuffle(shuffled);
        for (var i = 0; i + 1 < shuffled.Count / 2; i += 2) Spouse[shuffled[i]] = shuffled[i + 1];
    }

    public IReadOnlyList<string> Persons { get; }

    public IReadOnlyList<string> Cities { get; }

    public IReadOnlyList<string> Organisations { get; }

    public IReadOnlyList<string> Books { get; }

    public Dictionary<string, string> BirthCity { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> HomeCity { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Employer { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Founder { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Author { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Spouse { get; } = new(StringComparer.Ordinal);

    public static string Founded(string organisation, string person) => $"{organisation} was founded by {person}.";

    public static string Born(string person, string city) => $"{person} was born in {city}.";

    public static string Lives(string person, string city) => $"{person} lives in {city}.";

    public static string Written(string book, string person) => $"{book} was written by {person}.";

    public static string Works(string person, string organisation) => $"{person} works at {organisation}.";

    public static string Married(string person, string spouse) => $"{person} is married to {spouse}.";

    /// <summary>Every relation statement of the world, each once.</summary>
    public List<string> AllFacts()
    {
        var facts = new List<string>();
        foreach (var (o, p) in Founder) facts.Add(Founded(o, p));
        foreach (var (p, c) in BirthCity) facts.Add(Born(p, c));
        foreach (var (p, c) in HomeCity) facts.Add(Lives(p, c));
        foreach (var (b, p) in Author) facts.Add(Written(b, p));
        foreach (var (p, o) in Employer) facts.Add(Works(p, o));
        foreach (var (p, s) in Spouse) facts.Add(Married(p, s));
        return facts;
    }

    /// <summary>Fills a template's slots with random entities of this world (two person or city slots differ).</summary>
    public string Fill(string template, string? topic = null)
    {
        var person = rng.Pick(Persons);
        var city = rng.Pick(Cities);
        string other;
        do other = rng.Pick(Persons); while (other == person);
        string otherCity;
        do otherCity = rng.Pick(Cities); while (otherCity == city);
        return new StringBuilder(template)
            .Replace("{P2}", other).Replace("{P}", person)
            .Replace("{C2}", otherCity).Replace("{C}", city)
            .Replace("{O}", rng.Pick(Organisations)).Replace("{B}", rng.Pick(Books))
            .Replace("{place}", rng.Pick(Lexicon.Places)).Replace("{object}", rng.Pick(Lexicon.Objects))
            .Replace("{season}", rng.Pick(Lexicon.Seasons)).Replace("{num}", rng.Pick(Lexicon.Numbers))
            .Replace("{topic}", topic ?? "")
            .ToString();
    }
}
