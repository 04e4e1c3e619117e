// Logging in and signing up: the two pages anyone can see.
import { logIn, signUp } from '../api.js';
import { el, field, showError } from '../dom.js';
import { go, notify, render } from '../shell.js';

export function showLogin() {
  const form = el('form', { class: 'card', novalidate: true },
    field('Email', 'email', { type: 'email', autocomplete: 'username', required: true }),
    field('Password', 'password', { type: 'password', autocomplete: 'current-password', required: true }),
    el('button', { type: 'submit' }, 'Log in'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await logIn(form.email.value, form.password.value);
      go('/');
    } catch (error) { showError(form, error, notify); }
  });
  render('Log in', form, el('p', {}, 'New here? ', el('a', { href: '/signup' }, 'Create an account.')));
}

export function showSignup() {
  const form = el('form', { class: 'card', novalidate: true },
    field('Agency name', 'tenant_name', { required: true, autocomplete: 'organization' }),
    field('Email', 'email', { type: 'email', autocomplete: 'username', required: true }),
    field('Password (at least 12 characters)', 'password', { type: 'password', autocomplete: 'new-password', required: true }),
    el('button', { type: 'submit' }, 'Create account'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await signUp(form.email.value, form.password.value, form.tenant_name.value);
      go('/');
    } catch (error) { showError(form, error, notify); }
  });
  render('Create your account', form, el('p', {}, 'Have an account? ', el('a', { href: '/login' }, 'Log in.')));
}

export function showNotFound() {
  render('Page not found', el('p', {}, 'There is nothing here. ', el('a', { href: '/' }, 'Go to the dashboard.')));
}
