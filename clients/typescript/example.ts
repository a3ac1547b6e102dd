// Creating an application's link package and reading its summary through @linktracking/client.
// Type-checked by scripts/generate-typescript.sh --check (run from ./test.sh).
import { createLinkTrackingClient, type Schemas } from "./index.js";

export async function createPackageAndReadSummary(baseUrl: string, apiKey: string, applicationId: string): Promise<Schemas["ApplicationLinkSummaryDto"]> {
  const client = createLinkTrackingClient({ baseUrl, apiKey });
  const created = await client.POST("/api/v1/link-tracking/applications/{applicationId}/links", {
    params: { path: { applicationId } },
    body: {
      job_data: { apply_url: "https://jobs.example.com/apply/4711", company_website: null, job_url: null },
      extra_links: [{ link_function: "Resume", original_url: "https://files.example.com/resume.pdf", link_type: "document" }],
    },
  });
  if (created.error) {
    throw new Error(`${created.error.status} ${created.error.title}: ${created.error.detail ?? ""}`);
  }
  console.log("Apply link to put in the email:", created.data.links["Apply_Now"]);

  const summary = await client.GET("/api/v1/link-tracking/applications/{applicationId}/summary", {
    params: { path: { applicationId } },
  });
  if (summary.error) {
    throw new Error(`${summary.error.status} ${summary.error.title}`);
  }
  return summary.data;
}
