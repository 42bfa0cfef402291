namespace CogLtx.Nn;

public abstract partial class Module
{
    /// <summary>
    /// Writes <see cref="StateDict"/> (F32, Hugging Face key names, a tied tensor once under its first name) and
    /// <paramref name="metadata"/> to a safetensors file, atomically: an interrupted save leaves the previous file.
    /// </summary>
    public void SaveCheckpoint(string path, IReadOnlyDictionary<string, string>? metadata = null) =>
        SafeTensors.Write(path, NamedParameters().Select(p => KeyValuePair.Create(p.Name, p.Value)), metadata);

    /// <summary>
    /// Loads a safetensors checkpoint into the parameters (any float dtype, converted to float32) and returns its
    /// metadata. Throws <see cref="InvalidDataException"/> naming the file and every missing key, shape mismatch
    /// and (when <paramref name="strict"/>) unexpected key; the parameters are unchanged then.
    /// </summary>
    public IReadOnlyDictionary<string, string> LoadCheckpoint(string path, bool strict = true)
    {
        var file = SafeTensors.Read(path);
        LoadStateDict(file.FloatTensors(), strict, file.Path);
        return file.Metadata;
    }
}
