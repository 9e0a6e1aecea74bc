using Pipeline.Image;
using Pipeline.Image.Scan;
using Pipeline.Tools;

namespace Pipeline.Tests.Image;

/// <summary>Every image-area command line, exactly.</summary>
public class ImageCommandTests
{
    private static readonly BasePackage Libc = new("libc6", "2.36-9+deb12u14", new string('a', 64));
    private static readonly BasePackage Zlib = new("zlib1g", "1:1.2.13.dfsg-1", new string('b', 64));

    [Fact]
    public void Apt_download_pins_exact_versions_in_the_cache_dir()
    {
        var cmd = BaseImageCommands.AptDownload("/w/debs", [Libc, Zlib]);
        Assert.Equal("apt-get download -qq libc6=2.36-9+deb12u14 zlib1g=1:1.2.13.dfsg-1", cmd.ToString());
        Assert.Equal("/w/debs", cmd.WorkingDirectory);
    }

    [Fact]
    public void Dpkg_and_ldconfig_commands()
    {
        Assert.Equal("dpkg-deb --extract a.deb /r", BaseImageCommands.Extract("a.deb", "/r").ToString());
        Assert.Equal("dpkg-deb --field a.deb", BaseImageCommands.ControlFields("a.deb").ToString());
        Assert.Equal("ldconfig -r /r", BaseImageCommands.LdConfig("/r").ToString());
    }

    [Fact]
    public void Tar_is_reproducible_by_construction()
    {
        Assert.Equal(
            "tar --create --file /w/rootfs.tar --directory /w/rootfs --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu .",
            BaseImageCommands.Tar("/w/rootfs", "/w/rootfs.tar").ToString());
    }

    [Fact]
    public void Buildah_commands()
    {
        Assert.Equal("buildah from --name c1 scratch", Buildah.FromScratch("c1").ToString());
        Assert.Equal("buildah add c1 /w/rootfs.tar /", Buildah.Add("c1", "/w/rootfs.tar").ToString());
        Assert.Equal("buildah config --user 1:1 --env A=b c1", Buildah.Config("c1", ["--user", "1:1", "--env", "A=b"]).ToString());
        Assert.Equal("buildah commit --timestamp 0 --format oci --rm c1 localhost/orders-base:abc", Buildah.Commit("c1", "localhost/orders-base:abc").ToString());
        Assert.Equal("buildah rm c1", Buildah.Remove("c1").ToString());
    }

    [Fact]
    public void Base_config_is_non_root_with_a_fixed_path()
    {
        var opts = BaseImage.ConfigOptions([Libc]);
        Assert.Equal(new[] { "--user", "1654:1654" }, opts.Take(2));
        Assert.Contains("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", opts);
    }

    [Fact]
    public void Podman_build_never_pulls_and_fixes_the_timestamp()
    {
        var cmd = Podman.Build("app/Containerfile", "/a/publish/3", "localhost/orders-api:abc-r3",
            new Dictionary<string, string> { ["REVISION"] = "abc", ["BASE_IMAGE"] = "localhost/orders-base:1" });
        Assert.Equal(
            "podman --runtime=runc --cgroup-manager=cgroupfs build --pull=never --no-cache --timestamp 0 --format oci --file app/Containerfile --tag localhost/orders-api:abc-r3 --build-arg BASE_IMAGE=localhost/orders-base:1 --build-arg REVISION=abc /a/publish/3",
            cmd.ToString());
    }

    [Fact]
    public void The_build_records_the_binarys_schema_contract_as_build_args_for_its_labels()
    {
        var args = AppImage.BuildArgs("localhost/orders-base:1", "1.3.0", "abc", "https://x", new Pipeline.SingleHost.SchemaContract("1.3.0", 3, 4));
        Assert.Equal("3", args["SCHEMA_MIN"]);
        Assert.Equal("4", args["SCHEMA_MAX"]);
        var containerfile = File.ReadAllText(AppImage.Containerfile(BuildPaths.Discover("local")));
        Assert.Contains("io.orders-release.schema-min=\"${SCHEMA_MIN}\"", containerfile);
        Assert.Contains("io.orders-release.schema-max=\"${SCHEMA_MAX}\"", containerfile);
    }

    [Fact]
    public void Podman_image_queries()
    {
        Assert.Equal("podman --runtime=runc --cgroup-manager=cgroupfs pull --tls-verify=false --quiet localhost:5000/x@sha256:1",
            Podman.Pull("localhost:5000/x@sha256:1", tlsVerify: false).ToString());
        Assert.Equal("podman --runtime=runc --cgroup-manager=cgroupfs pull --quiet r/x@sha256:1", Podman.Pull("r/x@sha256:1").ToString());
        Assert.Equal("podman --runtime=runc --cgroup-manager=cgroupfs image inspect --format '{{.Digest}}' i", Podman.ImageDigest("i").ToString());
        Assert.Equal("podman --runtime=runc --cgroup-manager=cgroupfs image exists i", Podman.ImageExists("i").ToString());
        Assert.Equal("podman --runtime=runc --cgroup-manager=cgroupfs image inspect --format '{{json .Labels}}' i", Podman.ImageLabels("i").ToString());
        Assert.Equal("podman --runtime=runc --cgroup-manager=cgroupfs rm --force --time 0 n", Podman.ImageProbeRemove("n").ToString());
    }

    [Fact]
    public void Probe_run_is_read_only_without_capabilities_as_uid_1654()
    {
        var cmd = Podman.ImageProbeRun("p1", "img@sha256:1", 18001, new Dictionary<string, string> { ["B"] = "2", ["A"] = "1" }, ["/h/pw:/run/secrets/db-password:ro"]);
        Assert.Equal(
            "podman --runtime=runc --cgroup-manager=cgroupfs run --detach --name p1 --read-only --read-only-tmpfs=false --tmpfs /tmp:rw,mode=1777,size=64m --cap-drop=ALL --security-opt no-new-privileges --user 1654:1654 --ulimit nofile=4096:4096 --ulimit nproc=4096:4096 --publish 127.0.0.1:18001:8080 --env A=1 --env B=2 --volume /h/pw:/run/secrets/db-password:ro img@sha256:1",
            cmd.ToString());
    }

    [Fact]
    public void Skopeo_copy_and_inspect()
    {
        Assert.Equal("skopeo copy --quiet --src-tls-verify=false --dest-tls-verify=false --digestfile /d containers-storage:localhost/a:1 docker://localhost:5000/a:1",
            Skopeo.Copy("containers-storage:localhost/a:1", "docker://localhost:5000/a:1", tlsVerify: false, digestFile: "/d").ToString());
        Assert.Equal("skopeo copy --quiet containers-storage:a oci:/o:scan", Skopeo.Copy("containers-storage:a", "oci:/o:scan").ToString());
        Assert.Equal("skopeo inspect --tls-verify=false --format '{{.Digest}}' docker://localhost:5000/a:1",
            Skopeo.InspectDigest("localhost:5000/a:1", tlsVerify: false).ToString());
        Assert.Equal("skopeo inspect --config docker://r/a:1", Skopeo.InspectConfig("docker://r/a:1").ToString());
    }

    [Fact]
    public void Registry_and_trivy()
    {
        Assert.Equal("docker-registry serve /s/registry/config.yml", Registry.Serve("/s/registry/config.yml").ToString());
        Assert.Equal(
            "trivy image --input /a/i.tar --scanners vuln --format json --output /a/t.json --exit-code 1 --ignore-unfixed --severity HIGH,CRITICAL --quiet",
            TrivyCommands.ScanArchive("/a/i.tar", "/a/t.json", ["HIGH", "CRITICAL"]).ToString());
    }

    [Fact]
    public void Publish_is_native_aot_and_path_independent_and_untrimmed_means_the_jit_build()
    {
        var paths = new BuildPaths("/repo", "/repo/artifacts", "/state/local");
        Assert.Equal(
            "dotnet publish /repo/app/Orders.Api/Orders.Api.csproj --configuration Release --runtime linux-x64 --self-contained --output /repo/artifacts/publish/2 --nologo -p:AppRelease=2 -p:PublishAot=true -p:PublishReadyToRun=false -p:ContinuousIntegrationBuild=true",
            AppImage.Publish(paths, 2, trimmed: true).ToString());
        Assert.Contains("-p:PublishReadyToRun=true", AppImage.Publish(paths, 2, trimmed: false).Args);
        Assert.Contains("-p:PublishAot=false", AppImage.Publish(paths, 2, trimmed: false).Args);
    }

    [Fact]
    public void Debug_symbols_leave_the_image_for_the_symbols_folder_and_the_build_manifest_goes_in()
    {
        var root = Directory.CreateTempSubdirectory("publish-").FullName;
        try
        {
            var publish = Directory.CreateDirectory(Path.Combine(root, "publish")).FullName;
            File.WriteAllText(Path.Combine(publish, "Orders.Api"), "binary");
            File.WriteAllText(Path.Combine(publish, "Orders.Api.dbg"), "symbols");
            AppImage.RemoveDebugOnlyFiles(publish, Path.Combine(root, "symbols"));
            Assert.Equal(["Orders.Api"], Directory.GetFiles(publish).Select(Path.GetFileName));
            Assert.Equal("symbols", File.ReadAllText(Path.Combine(root, "symbols", "Orders.Api.dbg")));

            var paths = new BuildPaths(root, Path.Combine(root, "artifacts"), Path.Combine(root, "state"));
            var built = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(paths.AppProject)!, "bin", "Release", "net10.0", AppImage.Runtime)).FullName;
            Assert.Throws<FileNotFoundException>(() => AppImage.AddDependencyManifest(paths, publish));
            File.WriteAllText(Path.Combine(built, "Orders.Api.deps.json"), "{}");
            AppImage.AddDependencyManifest(paths, publish);
            Assert.Equal("{}", File.ReadAllText(Path.Combine(publish, "Orders.Api.deps.json")));
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [Fact]
    public void Local_tag_names_commit_and_release()
    {
        Assert.Equal("localhost/orders-api:0123456789ab-r1", AppImage.LocalTag("0123456789abcdef0123456789abcdef01234567", 1));
        Assert.Equal("1.2.0", AppImage.VersionOf(2));
    }
}
