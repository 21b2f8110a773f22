import { createApp } from 'vue';
import App from './App.vue';
import { setUnauthenticatedHandler } from './api/client.ts';
import { router } from './router.ts';
import { forgetSession } from './session/session.ts';
import './styles.css';

// An expired session on any request: back to the sign-in page, then to where the user was.
setUnauthenticatedHandler(() => {
  forgetSession();
  const here = router.currentRoute.value;
  if (!here.meta.public) void router.replace({ name: 'login', query: { redirect: here.fullPath } });
});

createApp(App).use(router).mount('#app');
