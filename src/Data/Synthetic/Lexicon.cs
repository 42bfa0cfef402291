namespace CogLtx.Data;

/// <summary>
/// The closed vocabulary of the synthetic tasks: invented names (so no pretrained knowledge helps), a few places
/// and objects, and sentence templates. About 700 distinct words: a from-scratch WordPiece vocabulary covers them all.
/// </summary>
internal static class Lexicon
{
    public static readonly string[] FirstNames =
    [
        "Mira", "Tolan", "Esra", "Brin", "Cato", "Dara", "Fenn", "Galen", "Hera", "Ivo", "Juno", "Kael", "Lio", "Maren",
        "Nyla", "Orin", "Pell", "Quin", "Rhea", "Sten", "Tova", "Ulla", "Vane", "Wren", "Yara", "Zef", "Alder", "Bexa",
        "Corin", "Delia", "Eamon", "Faye", "Gorm", "Hollis", "Inez", "Jory", "Kestra", "Lune", "Marlo", "Nessa", "Oskar",
        "Pria", "Roan", "Sela", "Tamsin", "Uri", "Veda", "Wystan",
    ];

    public static readonly string[] Surnames =
    [
        "Quell", "Varn", "Dorrik", "Astel", "Morrow", "Brannic", "Calder", "Drummel", "Eskarn", "Falk", "Garrow", "Hask",
        "Ilver", "Jarrin", "Kettle", "Lorne", "Mabry", "Nettle", "Orwick", "Pasco", "Quarry", "Rusk", "Selwyn", "Thorne",
        "Umber", "Vesk", "Wexley", "Yarrow", "Zale", "Ashby", "Birch", "Crane", "Dunmore", "Elbrook", "Fairley", "Gantry",
        "Holt", "Ingram", "Jessel", "Kirby", "Larch", "Merrin", "Nolle", "Oakes", "Penrose", "Redd", "Stroud", "Tully",
    ];

    public static readonly string[] Cities =
    [
        "Tarvos", "Belmora", "Dunhallow", "Erisfell", "Galvane", "Harrowmere", "Isenford", "Jorvale", "Kelmarsh",
        "Lowenmark", "Marrowby", "Northwick", "Ostmere", "Pelham", "Quarrington", "Rivenmoor", "Saltmarsh", "Thornbury",
        "Ulmere", "Varrow", "Westerly", "Yellowfen", "Zennor", "Ashgrove", "Brackwater", "Coldharbour", "Dovecote",
        "Emberlyn", "Foxholm", "Glenroth", "Highcliff", "Ironvale", "Junebury", "Kingsreach", "Larkspur", "Millbrook",
        "Nethercot", "Oakhaven", "Pinecrest", "Quillon", "Redmarsh", "Stonebridge", "Tidewell", "Umberlin", "Vexholm",
        "Windmere", "Yarnfield", "Corrowan",
    ];

    public static readonly string[] Organisations =
    [
        "Zorblax", "Quenta", "Veltrix", "Norvane", "Ostrum", "Plexor", "Kavari", "Lumora", "Drevin", "Solvex", "Tarquil",
        "Brightwell", "Corvane", "Dynora", "Elbaris", "Fendrel", "Glimmor", "Halcyra", "Irvex", "Jantor", "Kelvix",
        "Lorvane", "Mavrix", "Nexora", "Orbanis", "Pyrelle", "Quorvex", "Rastel", "Syntrel", "Tovaris", "Ultrex", "Vantor",
        "Wexor", "Xandel", "Yorvik", "Zentrel", "Amarix", "Borvell", "Cindral", "Dalvex",
    ];

    public static readonly string[] BookAdjectives = ["Silent", "Hollow", "Crimson", "Distant", "Broken", "Golden", "Quiet", "Hidden", "Last", "Burning", "Frozen", "Wandering"];

    public static readonly string[] BookNouns = ["Harbor", "Lantern", "Orchard", "River", "Tower", "Garden", "Mirror", "Voyage", "Meadow", "Compass", "Bridge", "Kingdom"];

    public static readonly string[] Places = ["market", "library", "station", "museum", "harbour", "theatre", "park", "school", "bakery", "hall", "square", "gallery"];

    public static readonly string[] Objects = ["bicycle", "lamp", "painting", "clock", "boat", "carpet", "kettle", "map", "telescope", "chair"];

    public static readonly string[] Seasons = ["spring", "summer", "autumn", "winter"];

    public static readonly string[] Numbers = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve"];

    /// <summary>
    /// Neutral sentences: slots {P} {P2} person, {C} {C2} city, {O} organisation, {B} book, {place}, {object},
    /// {season}, {num}. None states a relation a question asks about (founded, born, lives, written, works, married).
    /// </summary>
    public static readonly string[] Fillers =
    [
        "{P} visited {C} in the {season}.",
        "{O} opened a new office in {C}.",
        "{P} met {P2} at the {place} in {C}.",
        "The {place} in {C} was closed for {num} days.",
        "{P} bought a {object} from a shop in {C}.",
        "Many people in {C} have read {B}.",
        "{P} gave a talk about {B} at the {place}.",
        "{O} sold {num} thousand copies of {B} last {season}.",
        "{P} travelled from {C} to {C2} by train.",
        "A new {place} was built in {C} with money from {O}.",
        "{P} and {P2} often walk along the river in {C}.",
        "{P} lost a {object} near the {place} in {C}.",
        "The {place} of {C} is famous for its old {object}.",
        "{P} wrote a letter to {P2} about the {place}.",
        "In the {season}, {P} painted the {place} of {C}.",
    ];

    /// <summary>Class names and, per class, key sentences that decide the label and topic phrases for confounders.</summary>
    public static readonly (string Name, string[] Evidence, string[] Topics)[] Classes =
    [
        ("sports",
        [
            "{P} scored the winning goal for the {C} team.", "The {C} team won the championship final against {C2}.",
            "The coach praised {P} after the match in {C}.", "Fans in {C} celebrated the victory of their team.",
        ], ["the match", "the team", "a goal"]),
        ("finance",
        [
            "Shares of {O} rose sharply after the quarterly report.", "{O} reported record profits this year.",
            "Investors sold their {O} bonds after the interest rates changed.", "The bank in {C} lowered its interest rates.",
        ], ["shares", "profits", "interest rates"]),
        ("weather",
        [
            "A heavy storm flooded the streets of {C}.", "Snow closed the roads around {C} for {num} days.",
            "The forecast warned of strong winds over {C}.", "A long drought dried the fields near {C}.",
        ], ["the storm", "snow", "the forecast"]),
        ("health",
        [
            "Doctors in {C} reported a rise in flu cases.", "{P} recovered in hospital after surgery.",
            "The clinic in {C} vaccinated hundreds of children.", "Nurses in {C} treated many patients with fever.",
        ], ["doctors", "the clinic", "flu"]),
        ("music",
        [
            "{P} played the violin at a concert in {C}.", "The orchestra of {C} performed a new symphony.",
            "{P} released an album of folk songs.", "The choir sang at the festival in {C}.",
        ], ["the concert", "an album", "the orchestra"]),
        ("science",
        [
            "Researchers at {O} discovered a new comet.", "{P} published a study on the genes of bees.",
            "The laboratory in {C} built a faster microscope.", "Scientists measured the temperature of the deep ocean.",
        ], ["researchers", "a study", "the laboratory"]),
    ];

    /// <summary>Confounder frames: mention a topic phrase of any class without deciding anything.</summary>
    public static readonly string[] Confounders =
    [
        "{P} once read a short note about {topic}.",
        "Nobody in {C} wanted to talk about {topic} that {season}.",
        "{P} asked {P2} a question about {topic}.",
    ];
}
