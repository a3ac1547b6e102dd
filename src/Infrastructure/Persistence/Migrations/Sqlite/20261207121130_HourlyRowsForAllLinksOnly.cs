using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkTracking.Infrastructure.Persistence.Migrations.Sqlite
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
            migrationBuilder.Sql("DELETE FROM link_click_scope_rollups WHERE substr(scope, 1, 1) <> '*';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                INSERT INTO link_click_scope_rollups (scope, hour, dimension, value, human_clicks, bot_clicks)
                SELECT scope, hour, dimension, value, sum(human_clicks), sum(bot_clicks)
                FROM (
                    SELECT CASE s.n
                               WHEN 1 THEN 'j:' || lower(l.job_id)
                               WHEN 2 THEN 'a:' || lower(l.application_id)
                               WHEN 4 THEN 'j:' || lower(l.job_id) || '/' || l.link_function
                               ELSE 'a:' || lower(l.application_id) || '/' || l.link_function END AS scope,
                           r.hour, r.dimension, r.value, r.human_clicks, r.bot_clicks
                    FROM link_click_rollups r
                    JOIN link_tracking l ON l.tracking_id = r.tracking_id AND l.link_function <> 'Decoy'
                    CROSS JOIN (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 4 UNION ALL SELECT 5) AS s
                    WHERE s.n < 3 OR r.dimension = 'category')
                WHERE scope IS NOT NULL
                GROUP BY 1, 2, 3, 4;
                """);
        }
    }
}
