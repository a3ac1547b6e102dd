using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkTracking.Infrastructure.Persistence.Migrations.Postgres
{
    /// <summary>
    /// ADR 0026: jobs and applications keep no hourly rollups of their own (their links' hourly rows hold the same
    /// clicks; their daily rows stay). Down puts them back from the link rollups, so no count is lost either way.
    /// </summary>
    public partial class HourlyRowsForAllLinksOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DELETE FROM link_click_scope_rollups WHERE left(scope, 1) <> '*';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                INSERT INTO link_click_scope_rollups (scope, hour, dimension, value, human_clicks, bot_clicks)
                SELECT s.scope, r.hour, r.dimension, r.value, sum(r.human_clicks), sum(r.bot_clicks)
                FROM link_click_rollups r
                JOIN link_tracking l ON l.tracking_id = r.tracking_id AND l.link_function <> 'Decoy'
                CROSS JOIN LATERAL (VALUES
                    ('j:' || l.job_id, true),
                    ('a:' || l.application_id, true),
                    ('j:' || l.job_id || '/' || l.link_function, false),
                    ('a:' || l.application_id || '/' || l.link_function, false)) AS s(scope, all_dimensions)
                WHERE s.scope IS NOT NULL AND (s.all_dimensions OR r.dimension = 'category')
                GROUP BY 1, 2, 3, 4;
                """);
        }
    }
}
