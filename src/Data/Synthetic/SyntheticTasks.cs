using CogLtx.Tensors;
using CogLtx.Text.Documents;
using CogLtx.Text.Tasks;

namespace CogLtx.Data;

/// <summary>
/// Seeded synthetic long-document tasks that separate CogLTX from its baselines: the evidence is a few sentences
/// among hundreds of distractors built from the same vocabulary, placed past token 512 in a chosen fraction of the
/// documents (truncation fails there, sliding windows and MemRecall can find it). Same options → same data.
/// </summary>
public static class SyntheticTasks
{
    /// <summary>Most classes a synthetic classification task can have.</summary>
    public const int MaxClasses = 6;

    /// <summary>
    /// Multi-hop QA: "What city was the founder of Zorblax born in?" needs fact 1 "Zorblax was founded by Mira
    /// Quell." and fact 2 "Mira Quell was born in Tarvos." (also author → home city, spouse → employer chains). The
    /// distractors state the same relations for other entities of the document's world, plus neutral sentences
    /// that mention the question's entities. The answer span lies in fact 2; both facts are supporting sentences and
    /// <see cref="LongDocExample.RelevantSpans"/>.
    /// </summary>
    public static Dataset MultiHopQa(SyntheticOptions? options = null)
    {
        options ??= new SyntheticOptions();
        options.Validate();
        var root = new Rng(options.Seed);
        var train = Split("train", options.TrainCount, options, root.Fork(), MultiHopExample);
        var test = Split("test", options.TestCount, options, root.Fork(), MultiHopExample);
        return new Dataset("synthetic-multihop", ReasonerTask.SpanQa, [], train, test);
    }

    /// <summary>
    /// Classification decided by <see cref="SyntheticOptions.EvidenceSentences"/> key sentences of the label's topic
    /// ("A heavy storm flooded the streets of Tarvos." → weather) among relation facts, neutral sentences and
    /// confounders that mention every class's topic words equally often, so only the key sentences decide.
    /// </summary>
    public static Dataset KeySentenceClassification(SyntheticOptions? options = null)
    {
        options ??= new SyntheticOptions();
        options.Validate();
        var classes = Lexicon.Classes.Take(options.ClassCount).ToArray();
        var root = new Rng(options.Seed);
        LongDocExample Make(string id, bool late, Rng rng) => ClassificationExample(id, late, rng, options, classes);
        var train = Split("train", options.TrainCount, options, root.Fork(), (id, late, rng, _) => Make(id, late, rng));
        var test = Split("test", options.TestCount, options, root.Fork(), (id, late, rng, _) => Make(id, late, rng));
        return new Dataset("synthetic-keysentence", ReasonerTask.Classification, [.. classes.Select(c => c.Name).Order(StringComparer.Ordinal)], train, test);
    }

    /// <summary>
    /// One split: exactly round(fraction · count) documents get late evidence, chosen by a seeded shuffle; each
    /// document draws from its own forked stream.
    /// </summary>
    private static List<LongDocExample> Split(string name, int count, SyntheticOptions options, Rng rng,
        Func<string, bool, Rng, SyntheticOptions, LongDocExample> make)
    {
        var lateCount = (int)Math.Round(options.LateEvidenceFraction * count, MidpointRounding.AwayFromZero);
        var late = Enumerable.Range(0, count).Select(i => i < lateCount).ToList();
        rng.Shuffle(late);
        return [.. Enumerable.Range(0, count).Select(i => make($"{name}-{i:D5}", late[i], rng.Fork(), options))];
    }

    private static LongDocExample MultiHopExample(string id, bool late, Rng rng, SyntheticOptions options)
    {
        var world = new SyntheticWorld(rng);
        var chain = rng.NextInt(3);
        string question, answer, fact1, fact2, chainName;
        switch (chain)
        {
            case 0:
            {
                var organisation = rng.Pick(world.Organisations);
                var founder = world.Founder[organisation];
                answer = world.BirthCity[founder];
                (fact1, fact2) = (SyntheticWorld.Founded(organisation, founder), SyntheticWorld.Born(founder, answer));
                question = $"What city was the founder of {organisation} born in?";
                chainName = "founder-birthplace";
                break;
            }
            case 1:
            {
                var book = rng.Pick(world.Books);
                var author = world.Author[book];
                answer = world.HomeCity[author];
                (fact1, fact2) = (SyntheticWorld.Written(book, author), SyntheticWorld.Lives(author, answer));
                question = $"In which city does the author of {book} live?";
                chainName = "author-home";
                break;
            }
            default:
            {
                var person = rng.Pick([.. world.Spouse.Keys]);
                var spouse = world.Spouse[person];
                answer = world.Employer[spouse];
                (fact1, fact2) = (SyntheticWorld.Married(person, spouse), SyntheticWorld.Works(spouse, answer));
                question = $"Which company employs the spouse of {person}?";
                chainName = "spouse-employer";
                break;
            }
        }
        var facts = world.AllFacts();
        facts.Remove(fact1);
        facts.Remove(fact2);
        string Distractor() => rng.NextDouble() < 0.4 ? rng.Pick(facts) : world.Fill(rng.Pick(Lexicon.Fillers));

        // Either fact may come first in the text.
        var swap = rng.NextInt(2) == 1;
        IReadOnlyList<string> evidence = swap ? [fact2, fact1] : [fact1, fact2];
        var document = DocumentAssembler.Build(rng.NextInclusive(options.MinTokens, options.MaxTokens), Distractor, evidence, late, options, rng);
        var fact2Span = document.EvidenceSpans[swap ? 0 : 1];
        // The answer ends fact 2, just before its final period.
        var answerStart = fact2Span.End - 1 - answer.Length;
        return new LongDocExample
        {
            Id = id,
            Text = document.Text,
            Question = question,
            Answer = Answer.Span(answer, new CharSpan(answerStart, answerStart + answer.Length)),
            Sentences = document.Sentences,
            RelevantSpans = [.. document.EvidenceSpans.OrderBy(s => s.Start)],
            Metadata = new Dictionary<string, string>
            {
                ["chain"] = chainName,
                ["evidence"] = late ? "late" : "early",
                ["evidence_token_starts"] = string.Join(',', document.EvidenceTokenStarts),
            },
        };
    }

    private static LongDocExample ClassificationExample(string id, bool late, Rng rng, SyntheticOptions options,
        (string Name, string[] Evidence, string[] Topics)[] classes)
    {
        var world = new SyntheticWorld(rng);
        var label = rng.Pick(classes);
        var facts = world.AllFacts();
        var topics = classes.SelectMany(c => c.Topics).ToArray();
        string Distractor()
        {
            var roll = rng.NextDouble();
            if (roll < 0.3) return rng.Pick(facts);
            if (roll < 0.45) return world.Fill(rng.Pick(Lexicon.Confounders), rng.Pick(topics));
            return world.Fill(rng.Pick(Lexicon.Fillers));
        }
        var evidence = Enumerable.Range(0, options.EvidenceSentences).Select(_ => world.Fill(rng.Pick(label.Evidence))).ToList();
        var document = DocumentAssembler.Build(rng.NextInclusive(options.MinTokens, options.MaxTokens), Distractor, evidence, late, options, rng);
        return new LongDocExample
        {
            Id = id,
            Text = document.Text,
            Labels = [label.Name],
            Sentences = document.Sentences,
            RelevantSpans = [.. document.EvidenceSpans.OrderBy(s => s.Start)],
            Metadata = new Dictionary<string, string>
            {
                ["evidence"] = late ? "late" : "early",
                ["evidence_token_starts"] = string.Join(',', document.EvidenceTokenStarts),
            },
        };
    }
}
