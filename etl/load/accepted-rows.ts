/** The stg rows of accepted units, as a SQL relation (data rows only). */
export const ACCEPTED_ROWS = `(SELECT s.* FROM stg s JOIN stg_units u ON u.unit = s.unit WHERE s.skip IS NULL AND NOT u.rejected)`;
