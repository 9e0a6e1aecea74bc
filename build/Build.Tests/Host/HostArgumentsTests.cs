using Cake.Core.Diagnostics;
using Pipeline.Host;

namespace Pipeline.Tests.Host;

public class HostArgumentsTests
{
    [Fact]
    public void Defaults_to_the_Default_target_normal_verbosity_no_tree()
    {
        var a = HostArguments.Parse([]);
        Assert.Equal(("Default", Verbosity.Normal, false), (a.Target, a.Verbosity, a.Tree));
        Assert.Empty(a.Errors);
    }

    [Fact]
    public void Accepts_equals_space_and_bare_flag_forms_case_insensitively()
    {
        var a = HostArguments.Parse(["--Target", "Release", "--env=prod", "--dryrun", "--verbosity=diagnostic", "--approved-by=Dana Ops", "--tree"]);
        Assert.Equal("Release", a.Target);
        Assert.Equal(Verbosity.Diagnostic, a.Verbosity);
        Assert.True(a.Tree);
        Assert.Equal("prod", a.Lookup["env"].Single());
        Assert.Equal("true", a.Lookup["dryrun"].Single());
        Assert.Equal("Dana Ops", a.Lookup["approved-by"].Single());
    }

    [Fact]
    public void Override_window_reason_with_spaces_and_equals_survives()
    {
        var a = HostArguments.Parse(["--override-window=hotfix for INC-42: a=b"]);
        Assert.Equal("hotfix for INC-42: a=b", a.Lookup["override-window"].Single());
    }

    [Fact]
    public void Reports_stray_words_and_bad_verbosity()
    {
        var a = HostArguments.Parse(["Release", "--verbosity=loud"]);
        Assert.Equal(2, a.Errors.Count);
    }
}
