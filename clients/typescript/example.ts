// Creating an application's link package and reading its summary with fetch and the generated types.
// Type-checked by scripts/generate-typescript.sh --check (run from ./test.sh).
import type { components, operations } from "./linktracking";

type PackageRequest = components["schemas"]["ApplicationLinkPackageRequest"];
type PackageResponse = operations["createApplicationLinks"]["responses"][201]["content"]["application/json"];
type Summary = components["schemas"]["ApplicationLinkSummaryDto"];
type Problem = components["schemas"]["ProblemDetails"];

export async function createPackageAndReadSummary(baseUrl: string, apiKey: string, applicationId: string): Promise<Summary> {
  const headers = { "X-API-Key": apiKey, "Content-Type": "application/json" };
  const body: PackageRequest = {
    job_data: { apply_url: "https://jobs.example.com/apply/4711", company_website: null, job_url: null },
    extra_links: [{ link_function: "Resume", original_url: "https://files.example.com/resume.pdf", link_type: "document" }],
  };
  const created = await fetch(`${baseUrl}/api/v1/link-tracking/applications/${applicationId}/links`, {
    method: "POST",
    headers,
    body: JSON.stringify(body),
  });
  if (!created.ok) {
    const problem = (await created.json()) as Problem;
    throw new Error(`${problem.status} ${problem.title}: ${problem.detail ?? ""}`);
  }
  const links = ((await created.json()) as PackageResponse).links;
  console.log("Apply link to put in the email:", links["Apply_Now"]);

  const summary = await fetch(`${baseUrl}/api/v1/link-tracking/applications/${applicationId}/summary`, { headers });
  return (await summary.json()) as Summary;
}
