/** A priority group's figures as every view asks for them, withheld ones marked (small cells). */
export const PRIORITY_GROUP_FIELDS = /* GraphQL */ `
  fragment PriorityGroupFields on PriorityGroupStat {
    group
    label
    enrolled
    participants
    rate
    gap
    suppressed
    suppressedBelow
  }
`;
