export const ME = /* GraphQL */ `
  query Me {
    me {
      id
      username
      name
      role
      roleLabel
      inspectorId
      schoolCodes
    }
    roles {
      role
      label
    }
  }
`;

export const FILTER_CHOICES = /* GraphQL */ `
  query FilterChoices($period: String) {
    reportMonths
    townships(period: $period) {
      name
      schools
    }
  }
`;
