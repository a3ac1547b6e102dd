using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkTracking.Infrastructure.Persistence.Migrations.Postgres
{
    /// <summary>
    /// Turns <c>link_clicks</c> into a table range-partitioned by month on <c>clicked_at</c>, keeping every row (ADR 0010):
    /// the old table is renamed, a partitioned one with the same columns takes its name, with a partition for every
    /// month that holds clicks, the current month and the next two, and a default partition; the rows are copied, the
    /// old table dropped, then the primary key (now <c>(id, clicked_at)</c>) and the other indexes are built once on
    /// the loaded partitions. The indexes are recreated from the old table's own definitions, so an index another
    /// migration added before this one survives. Partner event ids move to <c>link_click_event_keys</c>. EF Core runs
    /// a migration in one transaction: it converts completely or not at all.
    /// </summary>
    public partial class PartitionedRawClicks : Migration
    {
        /// <summary>Saves the definitions of the table's secondary indexes (all but the primary key) in a temporary table.</summary>
        private const string SaveIndexes = """
            CREATE TEMP TABLE link_clicks_saved_indexes AS
            SELECT pg_get_indexdef(x.indexrelid) AS definition
            FROM pg_index x
            WHERE x.indrelid = 'link_clicks'::regclass AND NOT x.indisprimary;
            """;

        /// <summary>
        /// Builds the saved indexes again on the new <c>link_clicks</c>, once the old table (and so the old names) is gone;
        /// the definitions were read before the rename, so they already name <c>link_clicks</c>. <c>ON ONLY</c> (how
        /// PostgreSQL describes an index of a partitioned table) is dropped so that Down builds a whole index.
        /// </summary>
        private const string RestoreIndexes = """
            DO $$
            DECLARE saved record;
            BEGIN
                FOR saved IN SELECT definition FROM link_clicks_saved_indexes LOOP
                    EXECUTE replace(saved.definition, ' ON ONLY ', ' ON ');
                END LOOP;
            END $$;
            DROP TABLE link_clicks_saved_indexes;
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "link_click_event_keys",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    clicked_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_link_click_event_keys", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_link_click_event_keys_clicked_at",
                table: "link_click_event_keys",
                column: "clicked_at");

            // The unique (tracking_id, event_id) index cannot exist on a partitioned table (it lacks clicked_at); it
            // comes back below as a plain look-up index, and link_click_event_keys takes over its uniqueness.
            migrationBuilder.Sql("DROP INDEX ix_link_clicks_tracking_id_event_id;");
            migrationBuilder.Sql(SaveIndexes);
            migrationBuilder.Sql("""
                ALTER TABLE link_clicks RENAME TO link_clicks_unpartitioned;
                CREATE TABLE link_clicks (LIKE link_clicks_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS)
                    PARTITION BY RANGE (clicked_at);
                CREATE TABLE link_clicks_default PARTITION OF link_clicks DEFAULT;
                DO $$
                DECLARE m timestamp;
                BEGIN
                    FOR m IN
                        SELECT DISTINCT date_trunc('month', clicked_at AT TIME ZONE 'UTC') FROM link_clicks_unpartitioned
                        UNION
                        SELECT date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => n) FROM generate_series(0, 2) AS n
                    LOOP
                        EXECUTE format('CREATE TABLE %I PARTITION OF link_clicks FOR VALUES FROM (%L) TO (%L)',
                            'link_clicks_' || to_char(m, 'YYYY_MM'),
                            to_char(m, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                            to_char(m + interval '1 month', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));
                    END LOOP;
                END $$;
                INSERT INTO link_clicks SELECT * FROM link_clicks_unpartitioned;
                INSERT INTO link_click_event_keys (id, clicked_at)
                    SELECT id, clicked_at FROM link_clicks_unpartitioned WHERE event_id IS NOT NULL;
                DROP TABLE link_clicks_unpartitioned;
                ALTER TABLE link_clicks ADD CONSTRAINT pk_link_clicks PRIMARY KEY (id, clicked_at);
                """);
            migrationBuilder.Sql(RestoreIndexes);
            migrationBuilder.Sql("CREATE INDEX ix_link_clicks_tracking_id_event_id ON link_clicks (tracking_id, event_id) WHERE event_id IS NOT NULL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX ix_link_clicks_tracking_id_event_id;");
            migrationBuilder.Sql(SaveIndexes);
            migrationBuilder.Sql("""
                ALTER TABLE link_clicks RENAME TO link_clicks_partitioned;
                CREATE TABLE link_clicks (LIKE link_clicks_partitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS);
                INSERT INTO link_clicks SELECT * FROM link_clicks_partitioned;
                DROP TABLE link_clicks_partitioned;
                ALTER TABLE link_clicks ADD CONSTRAINT pk_link_clicks PRIMARY KEY (id);
                """);
            migrationBuilder.Sql(RestoreIndexes);
            migrationBuilder.Sql("CREATE UNIQUE INDEX ix_link_clicks_tracking_id_event_id ON link_clicks (tracking_id, event_id) WHERE event_id IS NOT NULL;");
            migrationBuilder.DropTable(name: "link_click_event_keys");
        }
    }
}
