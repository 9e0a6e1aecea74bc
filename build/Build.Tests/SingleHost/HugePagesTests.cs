using Pipeline.SingleHost;
using Pipeline.Tools;

namespace Pipeline.Tests.SingleHost;

public sealed class HugePagesTests
{
    // Recorded on this host (12-07) after PostgreSQL had mapped 62 of 90 pages; lines shortened.
    private const string MemInfo = """
        MemTotal:       24683748 kB
        MemFree:        20000000 kB
        AnonHugePages:      4096 kB
        HugePages_Total:      90
        HugePages_Free:       80
        HugePages_Rsvd:       62
        HugePages_Surp:        0
        Hugepagesize:       2048 kB
        """;

    [Fact]
    public void Meminfo_gives_total_free_reserved_and_the_page_size()
    {
        var c = HugePageCounts.Parse(MemInfo)!;
        Assert.Equal(new HugePageCounts(90, 80, 62, 2048, 24683748), c);
        Assert.Equal(18, c.Available);
        Assert.Null(HugePageCounts.Parse("MemTotal: 1 kB\n"));
    }

    [Fact]
    public void The_total_grows_by_what_the_new_mapping_lacks()
    {
        var c = HugePageCounts.Parse(MemInfo)!;
        Assert.Equal(90 + 72 - 18, HugePages.TotalFor(72, c));
        Assert.Null(HugePages.TotalFor(18, c));
        Assert.Equal(72, HugePages.TotalFor(72, new HugePageCounts(0, 0, 0, 2048, 24683748)));
    }

    // Reserved pages are taken from everything else on the host: never more than a quarter of its memory.
    [Fact]
    public void Never_more_than_a_quarter_of_the_hosts_memory()
    {
        var small = new HugePageCounts(0, 0, 0, 2048, 512 * 1024); // 512 MB: a quarter is 64 pages
        Assert.Equal(64, HugePages.TotalFor(64, small));
        Assert.Null(HugePages.TotalFor(65, small));
    }

    [Fact]
    public void The_commands_are_exact()
    {
        Assert.Equal("sysctl -w vm.nr_hugepages=144", HugePages.SetTotal(144).ToString());
        Assert.Equal("runuser -u postgres -- /usr/lib/postgresql/15/bin/postgres -D /s/pg/data -c max_connections=100 -C shared_memory_size_in_huge_pages",
            Postgres.SharedMemoryHugePages("/s/pg/data", 100).ToString());
    }
}
