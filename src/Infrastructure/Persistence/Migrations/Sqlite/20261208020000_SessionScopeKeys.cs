using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkTracking.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <summary>
    /// ADR 0030, SQLite only, filled from the key rows: each session's and address's latest hour, and latest hour with
    /// a human click, per link, and each session's per shared scope (all links, jobs, applications, each per function),
    /// for exact distinct counts by one index range; all links' sessions per UTC day, counted. The key rows gain an
    /// index by key, for the corrections' recompute of a key.
    /// </summary>
    public partial class SessionScopeKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_link_click_uniques_key",
                table: "link_click_uniques",
                column: "key");

            migrationBuilder.Sql("""
                CREATE TABLE link_click_scope_keys (
                    scope TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    key TEXT NOT NULL,
                    last_hour TEXT NOT NULL,
                    last_human_hour TEXT NULL,
                    CONSTRAINT pk_link_click_scope_keys PRIMARY KEY (scope, kind, key)) WITHOUT ROWID;
                CREATE INDEX ix_link_click_scope_keys_scope_kind_last_hour ON link_click_scope_keys (scope, kind, last_hour);
                CREATE INDEX ix_link_click_scope_keys_scope_kind_last_human_hour ON link_click_scope_keys (scope, kind, last_human_hour);
                CREATE TABLE link_click_day_keys (
                    scope TEXT NOT NULL,
                    day TEXT NOT NULL,
                    key TEXT NOT NULL,
                    human_clicks INTEGER NOT NULL,
                    bot_clicks INTEGER NOT NULL,
                    CONSTRAINT pk_link_click_day_keys PRIMARY KEY (scope, day, key)) WITHOUT ROWID;
                CREATE TABLE link_click_day_sessions (
                    scope TEXT NOT NULL,
                    day TEXT NOT NULL,
                    human_sessions INTEGER NOT NULL,
                    sessions INTEGER NOT NULL,
                    CONSTRAINT pk_link_click_day_sessions PRIMARY KEY (scope, day)) WITHOUT ROWID;
                """);
            migrationBuilder.Sql(LinkTracking.Infrastructure.Analytics.Rollups.SqliteClickRollupStore.ScopeKeysRebuildSql);
            migrationBuilder.Sql(LinkTracking.Infrastructure.Analytics.Rollups.SqliteClickRollupStore.DaySessionsRebuildSql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TABLE link_click_day_sessions;
                DROP TABLE link_click_day_keys;
                DROP TABLE link_click_scope_keys;
                """);

            migrationBuilder.DropIndex(
                name: "ix_link_click_uniques_key",
                table: "link_click_uniques");
        }
    }
}
