namespace CogLtx.Text.Documents;

/// <summary>
/// One example as blocks: the query buffer Q and the document blocks D in reading order (the reference dataset item
/// <c>(qbuf, dbuf)</c>, spec §5.1). Query blocks have <see cref="BlockKind.Query"/>, document blocks
/// <see cref="BlockKind.Document"/>.
/// </summary>
public sealed record ExampleBlocks(IReadOnlyList<Block> QueryBlocks, IReadOnlyList<Block> DocumentBlocks)
{
    /// <summary>Every block, query first.</summary>
    public IEnumerable<Block> AllBlocks => QueryBlocks.Concat(DocumentBlocks);
}
