// Host billing (API.md "Billing"), one file per concern:
//   billing-months.ts     which month, its UTC range, open or closed
//   billing-lines-sql.ts  the billing rule in SQL and the lines rendered as JSON/CSV text by PostgreSQL
//   billing-freeze.ts     freezing a closed month (first use, `billing:generate`)
//   billing-report.ts     a report's head, and the whole report as one object (the reference)
//   billing-stream.ts     the streamed JSON and CSV answers
export { monthOf, resolveMonth, type MonthRange } from './billing-months'
export { freezeMonth, generateBilling } from './billing-freeze'
export { billingReport, presentBillingReport, type LineRow, type ReportHead } from './billing-report'
export { billingCsv, billingCsvFilename, billingJson } from './billing-stream'
