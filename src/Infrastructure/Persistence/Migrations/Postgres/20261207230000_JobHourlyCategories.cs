using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkTracking.Infrastructure.Persistence.Migrations.Postgres
{
    /// <summary>
    /// ADR 0029: a job keeps hourly rows of its categories (<c>link_click_scope_rollups</c>, scope <c>j:…</c>), filled
    /// here from its links' hourly rows as they are; Down removes them again.
    /// </summary>
    public partial class JobHourlyCategories : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                INSERT INTO link_click_scope_rollups (scope, hour, dimension, value, human_clicks, bot_clicks)
                SELECT 'j:' || l.job_id, r.hour, r.dimension, r.value, sum(r.human_clicks), sum(r.bot_clicks)
                FROM link_click_rollups r
                JOIN link_tracking l ON l.tracking_id = r.tracking_id AND l.link_function <> 'Decoy' AND l.job_id IS NOT NULL
                WHERE r.dimension = 'category'
                GROUP BY 1, 2, 3, 4
                ON CONFLICT (scope, dimension, hour, value) DO NOTHING;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DELETE FROM link_click_scope_rollups WHERE left(scope, 2) = 'j:';");
        }
    }
}
