using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkTracking.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DailySessions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Each UTC day's distinct keys, summed from the gap rows already stored (ADR 0020).
            // Filled from the raw clicks by the rebuild of migration ClicksAfterCommit (ADR 0021), which every upgrade reaches.
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DELETE FROM link_click_key_histogram WHERE gap = -1;");
        }
    }
}
