using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace CogLtx.Models.Pretrained;

/// <summary>
/// Reads embedded manifest resources from a .NET assembly file without loading it (ECMA-335 §II.22.24
/// ManifestResource table + §II.25.3.3 CLI header Resources directory: each resource is a 4-byte little-endian
/// length followed by its bytes, at the row's offset into that directory). Nothing in the assembly is executed.
/// </summary>
internal static class ManifestResources
{
    /// <summary>Names of the resources embedded in <paramref name="assemblyPath"/>.</summary>
    public static IReadOnlyList<string> Names(string assemblyPath)
    {
        using var pe = Open(assemblyPath);
        var md = Metadata(pe, assemblyPath);
        return md.ManifestResources.Select(h => md.GetString(md.GetManifestResource(h).Name)).ToList();
    }

    /// <summary>
    /// The bytes of resource <paramref name="name"/>. Throws <see cref="InvalidDataException"/> naming the assembly,
    /// the resource and the resources it does have when it is missing, not embedded, or runs past its directory.
    /// </summary>
    public static byte[] Read(string assemblyPath, string name)
    {
        using var pe = Open(assemblyPath);
        var md = Metadata(pe, assemblyPath);
        var names = new List<string>();
        foreach (var handle in md.ManifestResources)
        {
            var resource = md.GetManifestResource(handle);
            var resourceName = md.GetString(resource.Name);
            names.Add(resourceName);
            if (resourceName != name) continue;
            if (!resource.Implementation.IsNil)
                throw new InvalidDataException($"{assemblyPath}: resource {name} is not embedded (it lives in another file or assembly)");
            return ReadEmbedded(pe, assemblyPath, name, resource.Offset);
        }
        throw new InvalidDataException(
            $"{assemblyPath}: no manifest resource named {name} (it has: {(names.Count == 0 ? "none" : string.Join(", ", names))})");
    }

    private static byte[] ReadEmbedded(PEReader pe, string path, string name, long offset)
    {
        var directory = pe.PEHeaders.CorHeader!.ResourcesDirectory;
        if (directory.Size == 0) throw new InvalidDataException($"{path}: resource {name} is listed but the assembly has no resources directory");
        if (offset < 0 || offset + 4 > directory.Size)
            throw new InvalidDataException($"{path}: resource {name} starts at offset {offset}, outside the {directory.Size}-byte resources directory");
        var block = pe.GetSectionData(directory.RelativeVirtualAddress);
        if (block.Length < directory.Size)
            throw new InvalidDataException($"{path}: the resources directory needs {directory.Size} bytes but its section holds {block.Length} (truncated file?)");
        var reader = block.GetReader((int)offset, directory.Size - (int)offset);
        var length = reader.ReadInt32();
        if (length < 0 || length > reader.RemainingBytes)
            throw new InvalidDataException($"{path}: resource {name} claims {length} bytes, but {reader.RemainingBytes} remain in the resources directory");
        return reader.ReadBytes(length);
    }

    private static PEReader Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"assembly not found: {path}", path);
        return new PEReader(File.OpenRead(path));
    }

    private static MetadataReader Metadata(PEReader pe, string path)
    {
        try
        {
            if (!pe.HasMetadata) throw new InvalidDataException($"{path}: not a .NET assembly (no CLI metadata)");
            return pe.GetMetadataReader();
        }
        catch (BadImageFormatException e)
        {
            throw new InvalidDataException($"{path}: not a readable .NET assembly: {e.Message}", e);
        }
    }
}
