/** 用户管理 (bureau inspectors only) and every user's own password (schema/users.graphql). */

const ACCOUNT = /* GraphQL */ `
  fragment AccountFields on UserAccount {
    id
    username
    name
    role
    roleLabel
    inspectorId
    inspectorName
    schoolCode
    schoolName
    township
    disabled
    createdAt
  }
`;

export const USER_ACCOUNTS = /* GraphQL */ `
  query UserAccounts($first: Int, $after: String, $role: Role, $query: String) {
    users(first: $first, after: $after, role: $role, query: $query) {
      total
      endCursor
      items {
        ...AccountFields
      }
    }
    roles {
      role
      label
    }
  }
  ${ACCOUNT}
`;

export const ADD_USER = /* GraphQL */ `
  mutation AddUser($input: AddUserInput!) {
    addUser(input: $input) {
      ...AccountFields
    }
  }
  ${ACCOUNT}
`;

export const UPDATE_USER = /* GraphQL */ `
  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {
    updateUser(id: $id, input: $input) {
      ...AccountFields
    }
  }
  ${ACCOUNT}
`;

export const SET_USER_DISABLED = /* GraphQL */ `
  mutation SetUserDisabled($id: ID!, $disabled: Boolean!) {
    setUserDisabled(id: $id, disabled: $disabled) {
      ...AccountFields
    }
  }
  ${ACCOUNT}
`;

export const RESET_USER_PASSWORD = /* GraphQL */ `
  mutation ResetUserPassword($id: ID!, $password: String!) {
    resetUserPassword(id: $id, password: $password) {
      ...AccountFields
    }
  }
  ${ACCOUNT}
`;

export const CHANGE_MY_PASSWORD = /* GraphQL */ `
  mutation ChangeMyPassword($current: String!, $next: String!) {
    changeMyPassword(current: $current, next: $next)
  }
`;

/** The signed-in user's own account facts for 我的账号. */
export const MY_ACCOUNT = /* GraphQL */ `
  query MyAccount {
    me {
      id
      username
      name
      roleLabel
      inspectorId
      schoolCode
      township
    }
  }
`;
