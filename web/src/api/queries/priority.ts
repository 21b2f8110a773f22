/**
 * The 优先群体 view's operations: the scope's group rates and gaps with their 12-month
 * trend and the district policy (for the gap threshold), the same per township, and the
 * schools with the largest gaps (re-asked when the group selector changes); the 总览 panel
 * asks the month's group figures alone.
 */
import { PRIORITY_GROUP_FIELDS } from './priority-group-fields.ts';

export const PRIORITY_SUMMARY = /* GraphQL */ `
  query PrioritySummary($period: String!, $scope: ScopeInput, $from: String!, $to: String!) {
    overview(period: $period, scope: $scope) {
      month
      schoolsInScope
      schoolsReporting
      enrolled
      participants
      participationRate
      priorityGroups {
        ...PriorityGroupFields
      }
    }
    trend(from: $from, to: $to, scope: $scope) {
      month
      participationRate
      priorityGroups {
        group
        label
        rate
        suppressed
        suppressedBelow
      }
    }
    policyVersions {
      version
      effectiveFrom
      parameters
    }
  }
  ${PRIORITY_GROUP_FIELDS}
`;

export const PRIORITY_TOWNSHIPS = /* GraphQL */ `
  query PriorityTownships($period: String!, $scope: ScopeInput) {
    overviewByTownship(period: $period, scope: $scope) {
      township
      overview {
        schoolsInScope
        enrolled
        participants
        participationRate
        priorityGroups {
          ...PriorityGroupFields
        }
      }
    }
  }
  ${PRIORITY_GROUP_FIELDS}
`;

export const PRIORITY_SCHOOLS = /* GraphQL */ `
  query PrioritySchools($period: String!, $scope: ScopeInput, $group: PriorityGroup) {
    schools(
      period: $period
      scope: $scope
      sort: PRIORITY_GAP
      direction: ASC
      group: $group
      first: 20
    ) {
      total
      items {
        school {
          code
          name
          township
        }
        reported
        enrolled
        participants
        participationRate
        priorityGap
        priorityGroups {
          ...PriorityGroupFields
        }
      }
    }
  }
  ${PRIORITY_GROUP_FIELDS}
`;

/** The 总览's priority panel: the same groups' rates and gaps as the summary, for one period. */
export const PRIORITY_OVERVIEW = /* GraphQL */ `
  query PriorityOverview($period: String!, $scope: ScopeInput) {
    overview(period: $period, scope: $scope) {
      month
      participationRate
      priorityGroups {
        ...PriorityGroupFields
      }
    }
    policyVersions {
      version
      effectiveFrom
      parameters
    }
  }
  ${PRIORITY_GROUP_FIELDS}
`;
